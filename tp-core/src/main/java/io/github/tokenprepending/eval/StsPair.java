package io.github.tokenprepending.eval;

import java.util.Objects;

/**
 * One scored sentence pair. Sentences are as SentEval hands them to the model: the file's whitespace-separated
 * words joined by single spaces.
 *
 * @param sentence1 the first sentence
 * @param sentence2 the second sentence
 * @param score the gold similarity score
 */
public record StsPair(String sentence1, String sentence2, double score) {

    /**
     * @throws NullPointerException if a sentence is null
     * @throws IllegalArgumentException if the score is not finite
     */
    public StsPair {
        Objects.requireNonNull(sentence1, "sentence1");
        Objects.requireNonNull(sentence2, "sentence2");
        if (!Double.isFinite(score)) {
            throw new IllegalArgumentException("the gold score must be finite, got " + score);
        }
    }
}
