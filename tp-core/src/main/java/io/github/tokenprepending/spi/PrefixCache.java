package io.github.tokenprepending.spi;

/**
 * Keys and values of a fixed token prefix, computed once by {@link LayerwiseModel#cachePrefix} and reused
 * by many forward passes whose rows all begin with these tokens.
 *
 * <p>Under causal attention the states of the tokens before {@code <PST>} never depend on what follows, and
 * Token Prepending never changes them, so a prompt template's shared prefix can be computed once.
 */
public interface PrefixCache extends AutoCloseable {

    /** @return the cached token ids */
    int[] ids();

    /** @return the number of cached tokens */
    default int length() {
        return ids().length;
    }

    /** @return the number of decoder layers whose keys and values are cached */
    int layers();

    /**
     * Whether the cache also holds the prefix's states after its {@link #layers()} layers, so that a mean over a row
     * may start inside the reused prefix ({@link ForwardPass#meanPooled}): under causal attention those states do
     * not depend on what follows the prefix either.
     *
     * @return false unless the engine keeps them
     */
    default boolean holdsFinalStates() {
        return false;
    }

    /** Releases the cached tensors. */
    @Override
    void close();
}
