package io.github.tokenprepending.djl.family.qwen2;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The Qwen2 family's own config.json fields.
 *
 * @param useSlidingWindow {@code use_sliding_window} (null: false; off in real checkpoints)
 * @param slidingWindow {@code sliding_window}, used only with {@code use_sliding_window}
 */
record Qwen2Config(
        @JsonProperty("use_sliding_window") Boolean useSlidingWindow,
        @JsonProperty("sliding_window") Integer slidingWindow) {

    Qwen2Config {
        if (slidingWindow != null && slidingWindow < 1) {
            throw new IllegalArgumentException("'sliding_window' must be a positive integer, got " + slidingWindow);
        }
    }

    /** @return the window on every layer when {@code use_sliding_window} is true, else 0 */
    int window() {
        return Boolean.TRUE.equals(useSlidingWindow) && slidingWindow != null ? slidingWindow : 0;
    }
}
