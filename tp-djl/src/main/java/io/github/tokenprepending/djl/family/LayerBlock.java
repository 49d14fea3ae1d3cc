package io.github.tokenprepending.djl.family;

import java.util.Map;

/**
 * How a family's decoder layers run: which TorchScript block, which final norm, and the per-layer arguments
 * beyond the common ones. The block's arguments are named in {@code blocks/manifest.json}; the common ones
 * (hidden states, rotary tables, masks, prefix keys, the {@code <PST>} columns, ...) are filled by the forward
 * pass, the weights from {@link Architecture#layerInputs} by slot name, and {@link #extraArguments} by name.
 */
public interface LayerBlock {

    /** The model's final norm (named like the manifest's {@code norm} codes). */
    enum FinalNorm {
        /** {@code w * x / rms(x)} (Llama, Qwen2, Qwen3). */
        RMS,
        /** {@code (1 + w) * x / rms(x)} (Gemma). */
        RMS_UNIT_OFFSET
    }

    /** @return the TorchScript file in tp-djl's blocks folder ({@code llama_layer.pt}) */
    String resource();

    /** @return the final norm applied to {@code hidden_states[-1]} */
    FinalNorm finalNorm();

    /** @return the sliding attention window (keys {@code i-W < j <= i}), or 0 for none */
    default int slidingWindow() {
        return 0;
    }

    /**
     * @param layer a decoder layer
     * @return whether that layer attends within {@link #slidingWindow()} only
     */
    default boolean usesSlidingWindow(int layer) {
        return false;
    }

    /**
     * @param layer a decoder layer
     * @return float arguments by name beyond the common ones (Gemma2: {@code scale} and {@code softcap})
     */
    default Map<String, Double> extraArguments(int layer) {
        return Map.of();
    }
}
