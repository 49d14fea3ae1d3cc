package io.github.tokenprepending.djl.family.gemma2;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Gemma2 family's own config.json fields; null means absent (HF's Gemma2Config defaults apply).
 *
 * @param headDim {@code head_dim} (default 256; not hidden / heads)
 * @param queryPreAttnScalar {@code query_pre_attn_scalar}: scores are scaled by its inverse square root (default 256)
 * @param attnLogitSoftcapping {@code attn_logit_softcapping} (default 50)
 * @param finalLogitSoftcapping {@code final_logit_softcapping} (acts on the LM head's logits only, never used here)
 * @param slidingWindow {@code sliding_window} of the even layers (default 4096)
 * @param hiddenActivation {@code hidden_activation} (default {@code gelu_pytorch_tanh})
 */
record Gemma2Config(
        @JsonProperty("head_dim") Integer headDim,
        @JsonProperty("query_pre_attn_scalar") Double queryPreAttnScalar,
        @JsonProperty("attn_logit_softcapping") Double attnLogitSoftcapping,
        @JsonProperty("final_logit_softcapping") Double finalLogitSoftcapping,
        @JsonProperty("sliding_window") Integer slidingWindow,
        @JsonProperty("hidden_activation") String hiddenActivation) {

    Gemma2Config {
        positive("head_dim", headDim);
        positive("query_pre_attn_scalar", queryPreAttnScalar);
        positive("attn_logit_softcapping", attnLogitSoftcapping);
        positive("sliding_window", slidingWindow);
    }

    private static void positive(String field, Number value) {
        if (value != null && !(value.doubleValue() > 0 && Double.isFinite(value.doubleValue()))) {
            throw new IllegalArgumentException("'" + field + "' must be a positive number, got " + value);
        }
    }

    int headDimOrDefault() {
        return headDim != null ? headDim : 256;
    }

    double attentionScale() {
        return Math.pow(queryPreAttnScalar != null ? queryPreAttnScalar : 256, -0.5);
    }

    double softcap() {
        return attnLogitSoftcapping != null ? attnLogitSoftcapping : 50.0;
    }

    int window() {
        return slidingWindow != null ? slidingWindow : 4096;
    }
}
