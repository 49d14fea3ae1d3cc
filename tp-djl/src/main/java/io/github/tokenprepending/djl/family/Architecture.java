package io.github.tokenprepending.djl.family;

import java.util.List;

/**
 * What one checkpoint's config.json says about running it, as its {@link ModelFamily} read it: the shared
 * numbers, the layer block, and each layer's weights under the block's slot names.
 */
public interface Architecture {

    /** @return the family's name ({@code llama}) */
    String family();

    /** @return the numbers every family shares */
    DecoderSpec spec();

    /** @return how the decoder layers run */
    LayerBlock block();

    /**
     * @param layer a decoder layer
     * @return the layer's weights, one {@link BlockInput} per weight slot of {@link LayerBlock#resource()}
     */
    List<BlockInput> layerInputs(int layer);

    /** @return the token embedding tensor name */
    default String embeddingWeight() {
        return "model.embed_tokens.weight";
    }

    /** @return the final norm tensor name */
    default String finalNormWeight() {
        return "model.norm.weight";
    }
}
