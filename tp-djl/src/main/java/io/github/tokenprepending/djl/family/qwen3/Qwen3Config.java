package io.github.tokenprepending.djl.family.qwen3;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Qwen3 family's own config.json fields; null means absent (HF's Qwen3Config defaults apply).
 *
 * @param headDim {@code head_dim} (default 128; Qwen3 sets it apart from hidden / heads, e.g. 0.6B: 1024 / 16 heads
 *     but head_dim 128)
 * @param attentionBias {@code attention_bias}: q, k, v and o have biases (default false)
 * @param useSlidingWindow {@code use_sliding_window} (default false; true is not supported)
 */
record Qwen3Config(
        @JsonProperty("head_dim") Integer headDim,
        @JsonProperty("attention_bias") Boolean attentionBias,
        @JsonProperty("use_sliding_window") Boolean useSlidingWindow) {

    Qwen3Config {
        if (headDim != null && headDim < 1) {
            throw new IllegalArgumentException("'head_dim' must be a positive integer, got " + headDim);
        }
        if (Boolean.TRUE.equals(useSlidingWindow)) {
            throw new IllegalArgumentException("'use_sliding_window' true is not supported for qwen3");
        }
    }

    int headDimOrDefault() {
        return headDim != null ? headDim : 128;
    }

    boolean bias() {
        return Boolean.TRUE.equals(attentionBias);
    }
}
