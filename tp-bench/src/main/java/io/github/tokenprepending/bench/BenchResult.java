package io.github.tokenprepending.bench;

/**
 * One measured configuration, keyed by its prompt method and mode.
 *
 * @param method the prompt method's id
 * @param mode the mode
 * @param outputLayer the output layer and the layers it runs, e.g. {@code -1 (32 layers)}
 * @param prefixCache whether the encoder reused cached prompt prefixes (a trained embedder's own setting in
 *     {@link BenchMode#TRAINED})
 * @param median the median sentences per second of the timed passes
 * @param min the slowest pass's sentences per second
 * @param max the fastest pass's sentences per second
 * @param tokensPerSecond prompt tokens per second over the timed passes
 * @param computedPerSentence tokens the model computed per sentence (prompt tokens minus those reused from the cache)
 * @param msPerBatch milliseconds per batch
 * @param paddingFraction share of padded positions
 * @param peakHeapMb peak Java heap during the warm-up pass
 * @param residentMb peak resident memory during the warm-up pass
 */
public record BenchResult(String method, BenchMode mode, String outputLayer, boolean prefixCache, double median,
        double min, double max, double tokensPerSecond, double computedPerSentence, double msPerBatch,
        double paddingFraction, long peakHeapMb, long residentMb) {
    /** @return (max - min) / median of the timed passes' rates */
    public double spread() {
        return (max - min) / median;
    }
}
