package io.github.tokenprepending;

/**
 * Work counters of a {@link TokenPrependingEncoder}, for benchmarks.
 *
 * @param prompts prompts embedded (sentences times templates)
 * @param batches forward passes run
 * @param tokens tokens of all prompts
 * @param computedTokens tokens that went through the layers (prompt tokens minus reused prefix tokens)
 * @param paddedSlots token slots of the padded batches (rows times longest computed row)
 */
public record EncodingStats(long prompts, long batches, long tokens, long computedTokens, long paddedSlots) {

    /** @return the share of padded slots that held padding */
    public double paddingFraction() {
        return paddedSlots == 0 ? 0 : 1.0 - (double) computedTokens / paddedSlots;
    }
}
