package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** The model families on the class path (registered through {@link ServiceLoader}). */
public final class ModelFamilies {
    private ModelFamilies() {
    }

    /** @return every registered family */
    public static List<ModelFamily> all() {
        List<ModelFamily> families = new ArrayList<>();
        ServiceLoader.load(ModelFamily.class, ModelFamilies.class.getClassLoader()).forEach(families::add);
        return families;
    }

    /**
     * @param modelType config.json's {@code model_type}
     * @return the family that runs it
     * @throws IllegalArgumentException naming the type and the supported families
     */
    public static ModelFamily forModelType(String modelType) {
        List<ModelFamily> families = all();
        for (ModelFamily family : families) {
            if (family.supports(modelType)) {
                return family;
            }
        }
        throw new IllegalArgumentException("unsupported model_type '" + modelType + "' (families: "
                + String.join(", ", families.stream().map(ModelFamily::name).toList()) + ")");
    }

    /**
     * Picks the family of a config.json and lets it read the architecture.
     *
     * @param config config.json
     * @return the architecture
     * @throws CheckpointException naming config.json and the unsupported type or bad field
     */
    public static Architecture architecture(HfConfig config) throws CheckpointException {
        ModelFamily family;
        try {
            family = forModelType(config.modelType());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), e.getMessage());
        }
        try {
            return family.architecture(config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), e.getMessage(), e);
        }
    }
}
