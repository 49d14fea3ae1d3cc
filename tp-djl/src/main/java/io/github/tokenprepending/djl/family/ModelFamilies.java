package io.github.tokenprepending.djl.family;

import com.fasterxml.jackson.annotation.JsonProperty;
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
     * @param config config.json
     * @return the family that runs its {@code model_type}
     * @throws CheckpointException naming config.json and the missing, malformed or unsupported type
     */
    public static ModelFamily forConfig(HfConfig config) throws CheckpointException {
        String modelType = config.bind(ModelType.class).modelType();
        try {
            return forModelType(modelType);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), e.getMessage());
        }
    }

    /** config.json's {@code model_type} alone, so that an unsupported type is named before other fields are read. */
    private record ModelType(@JsonProperty("model_type") String modelType) {
        ModelType {
            if (modelType == null) {
                throw new IllegalArgumentException("required field 'model_type' is missing");
            }
        }
    }

    /**
     * Picks the family of a config.json and lets it read the architecture.
     *
     * @param config config.json
     * @return the architecture
     * @throws CheckpointException naming config.json and the unsupported type or bad field
     */
    public static Architecture architecture(HfConfig config) throws CheckpointException {
        ModelFamily family = forConfig(config);
        try {
            return family.architecture(config);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), e.getMessage(), e);
        }
    }
}
