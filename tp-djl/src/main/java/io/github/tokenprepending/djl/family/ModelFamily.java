package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.util.Set;

/**
 * A model family plug-in: reads its own fields of a checkpoint's config.json (a typed config bound with
 * {@link HfConfig#bind}) and says how its layers run. Families are found with {@link java.util.ServiceLoader};
 * adding one is a package {@code io.github.tokenprepending.djl.family.<name>} with an implementation, its layer
 * function in {@code tp_blocks.py}, its line in {@code META-INF/services/io.github.tokenprepending.djl.family.ModelFamily},
 * a preset, and its tests (docs/adding-a-model-family.md).
 */
public interface ModelFamily {

    /** @return the family's name ({@code llama}) */
    String name();

    /** @return the config.json {@code model_type} values this family runs */
    Set<String> modelTypes();

    /**
     * @param modelType config.json's {@code model_type}
     * @return whether this family runs it
     */
    default boolean supports(String modelType) {
        return modelTypes().contains(modelType);
    }

    /**
     * @param config the checkpoint's config.json, read once per load
     * @return the architecture
     * @throws CheckpointException naming config.json and the field that is missing, malformed or unsupported
     */
    Architecture architecture(HfConfig config) throws CheckpointException;
}
