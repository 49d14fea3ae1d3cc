package io.github.tokenprepending.djl.checkpoint;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A config's RoPE scaling ({@code rope_scaling}): which kind and its parameters, each present only when the
 * config gives it. Which parameters a kind needs is for the model to check.
 *
 * @param type {@code rope_type} (or the older {@code type}), e.g. {@code llama3}, {@code linear}, {@code dynamic}
 * @param factor {@code factor}
 * @param lowFreqFactor {@code low_freq_factor} (llama3)
 * @param highFreqFactor {@code high_freq_factor} (llama3)
 * @param originalMaxPositionEmbeddings {@code original_max_position_embeddings}
 */
public record RopeScaling(
        String type,
        OptionalDouble factor,
        OptionalDouble lowFreqFactor,
        OptionalDouble highFreqFactor,
        OptionalInt originalMaxPositionEmbeddings) {
}
