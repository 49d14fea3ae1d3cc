package io.github.tokenprepending.djl.llama;

import io.github.tokenprepending.djl.family.LayerBlock;

/**
 * {@code llama_layer.pt}: the Llama-style layer (also Qwen2's). An optional sliding window applies to every
 * layer (Mistral's {@code sliding_window}, Qwen2's {@code use_sliding_window} as the official code applies it).
 */
public final class LlamaBlock implements LayerBlock {
    private final int window;

    /**
     * @param window sliding attention window on every layer, or 0 for none
     */
    public LlamaBlock(int window) {
        this.window = window;
    }

    @Override
    public String resource() {
        return "llama_layer.pt";
    }

    @Override
    public FinalNorm finalNorm() {
        return FinalNorm.RMS;
    }

    @Override
    public int slidingWindow() {
        return window;
    }

    @Override
    public boolean usesSlidingWindow(int layer) {
        return window > 0;
    }
}
