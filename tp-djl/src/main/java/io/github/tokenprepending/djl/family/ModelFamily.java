package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.util.List;

/**
 * A model family plug-in: reads a checkpoint's config.json, names its tensors, and says how its layers run.
 * Families are found with {@link java.util.ServiceLoader}; adding one is a new package with an implementation,
 * its line in {@code META-INF/services/io.github.tokenprepending.djl.family.ModelFamily}, and its tests (the
 * conformance kit and golden parity).
 */
public interface ModelFamily {

    /** @return the family's name ({@code llama}) */
    String name();

    /**
     * @param modelType config.json's {@code model_type}
     * @return whether this family runs it
     */
    boolean supports(String modelType);

    /**
     * @param config the checkpoint's config.json
     * @return the architecture
     * @throws CheckpointException naming config.json and the field that is missing, malformed or unsupported
     */
    DecoderSpec spec(HfConfig config) throws CheckpointException;

    /** @return the token embedding tensor name */
    default String embeddingWeight() {
        return "model.embed_tokens.weight";
    }

    /** @return the final norm tensor name */
    default String finalNormWeight() {
        return "model.norm.weight";
    }

    /**
     * @param spec the architecture
     * @param layer a decoder layer
     * @return the layer's weight arguments in the order its block takes them
     */
    List<BlockInput> layerInputs(DecoderSpec spec, int layer);

    /**
     * @param spec the architecture
     * @return how the layers run
     */
    LayerBlock block(DecoderSpec spec);
}
