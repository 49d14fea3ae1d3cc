package io.github.tokenprepending.spi;

/**
 * A decoder-only language model that runs one decoder layer at a time, so that the caller can act between
 * layers (Token Prepending) and stop early (early exit). Engine-neutral: no tensor type appears here.
 *
 * <p>Implementations are thread-safe for {@link #start}: each pass owns its own state.
 */
public interface LayerwiseModel extends AutoCloseable {

    /** @return facts about the model */
    ModelInfo info();

    /**
     * @return decoder layers loaded (the first ones): {@link ModelInfo#numLayers()} unless the model was loaded for
     *     an earlier output layer ({@link ModelOptions#layers()}); passes and prefix caches run at most this many
     */
    default int loadedLayers() {
        return info().numLayers();
    }

    /** @return the model's tokenizer, with {@code <PST>} added; owned by the model */
    TextTokenizer tokenizer();

    /**
     * Embeds a batch and returns a pass positioned before decoder layer 0.
     *
     * @param batch the token ids; rows are left-padded internally, positions are 0..T-1 as in the official code
     * @param plan how many layers will run and which cached prefix to reuse
     * @return the pass; close it
     */
    ForwardPass start(TokenBatch batch, PassPlan plan);

    /** @return true when {@link #cachePrefix} is available */
    default boolean supportsPrefixCache() {
        return false;
    }

    /**
     * Computes the keys and values of a token prefix for the first {@code layers} decoder layers.
     *
     * @param ids the prefix token ids
     * @param layers how many decoder layers to cache
     * @return the cache; close it
     * @throws UnsupportedOperationException if {@link #supportsPrefixCache()} is false
     */
    default PrefixCache cachePrefix(int[] ids, int layers) {
        throw new UnsupportedOperationException(info().family() + " models have no prefix cache");
    }

    /** Frees the weights and the tokenizer. */
    @Override
    void close();
}
