package io.github.tokenprepending.djl.family.llama;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Llama family's own config.json fields (the shared ones come from {@code HfConfig}).
 *
 * @param attentionBias {@code attention_bias}: q, k, v and o have biases (null: false)
 * @param mlpBias {@code mlp_bias} (null: false; true is not supported)
 * @param slidingWindow Mistral's {@code sliding_window} on every layer (null: none)
 */
record LlamaConfig(
        @JsonProperty("attention_bias") Boolean attentionBias,
        @JsonProperty("mlp_bias") Boolean mlpBias,
        @JsonProperty("sliding_window") Integer slidingWindow) {

    LlamaConfig {
        if (slidingWindow != null && slidingWindow < 1) {
            throw new IllegalArgumentException("'sliding_window' must be a positive integer, got " + slidingWindow);
        }
    }

    int window() {
        return slidingWindow == null ? 0 : slidingWindow;
    }
}
