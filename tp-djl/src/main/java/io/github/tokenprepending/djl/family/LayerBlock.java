package io.github.tokenprepending.djl.family;

/**
 * How a family's decoder layers run: which TorchScript block, which final norm, and the per-layer arguments
 * beyond the common ones.
 *
 * <p>Every layer block takes, in this order: hidden states, rotary cos, sin, the attention mask, cached prefix
 * keys and values, the prefix length, the layer's weights (in {@link ModelFamily#layerInputs} order), the norm
 * epsilon, the {@code <PST>} columns, whether to apply the Token Prepending step first, whether only the last
 * column's output is needed, the activation code, then {@link #extraArguments(int)}. It returns the new hidden
 * states and the layer's keys and values.
 */
public interface LayerBlock {

    /** The model's final norm. */
    enum FinalNorm {
        /** {@code w * x / rms(x)} (Llama, Qwen2). */
        RMS(1),
        /** {@code (1 + w) * x / rms(x)} (Gemma). */
        RMS_UNIT_OFFSET(2);

        private final int code;

        FinalNorm(int code) {
            this.code = code;
        }

        /** @return the code the pool block takes */
        public int code() {
            return code;
        }
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
     * @return float arguments appended after the common ones (Gemma2: attention scale and logit soft-cap)
     */
    default double[] extraArguments(int layer) {
        return new double[0];
    }
}
