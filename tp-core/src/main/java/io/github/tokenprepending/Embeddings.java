package io.github.tokenprepending;

import java.util.List;
import java.util.Objects;

/**
 * Embeddings and the tokens each sentence contributed, from one tokenization ({@link SentenceEncoder#encode}).
 *
 * @param vectors one embedding per sentence, in input order
 * @param tokenCounts the tokens each sentence adds to its prompt ({@link SentenceEncoder#countTokens}), in input
 *     order
 */
public record Embeddings(List<float[]> vectors, int[] tokenCounts) {
    /** Checks that there is one count per vector. */
    public Embeddings {
        Objects.requireNonNull(vectors, "vectors");
        Objects.requireNonNull(tokenCounts, "tokenCounts");
        if (vectors.size() != tokenCounts.length) {
            throw new IllegalArgumentException(vectors.size() + " vectors but " + tokenCounts.length + " counts");
        }
        tokenCounts = tokenCounts.clone();
    }

    /** @return the number of sentences */
    public int size() {
        return vectors.size();
    }

    /** @return the sum of the token counts */
    public long totalTokens() {
        long sum = 0;
        for (int n : tokenCounts) {
            sum += n;
        }
        return sum;
    }

    @Override
    public int[] tokenCounts() {
        return tokenCounts.clone();
    }
}
