package io.github.tokenprepending.spi;

/**
 * What a forward pass will do: how many decoder layers run, which cached prefix it reuses, and whether only
 * the last tokens will be read at the end.
 *
 * @param layers number of decoder layers that will run (layers past it never run: early exit)
 * @param prefix cached prefix keys and values, or null
 * @param prefixLength how many leading tokens of every row come from {@code prefix} (0 without a prefix)
 * @param lastTokenOnly true when, after the final planned layer, only {@link ForwardPass#pooled()} will be
 *     called: the model may then compute that layer for the last token of each row only
 */
public record PassPlan(int layers, PrefixCache prefix, int prefixLength, boolean lastTokenOnly) {
    /** Validates the plan. */
    public PassPlan {
        if (layers < 0) {
            throw new IllegalArgumentException("layers must be >= 0, got " + layers);
        }
        if (prefix == null && prefixLength != 0) {
            throw new IllegalArgumentException("a prefix length needs a prefix cache");
        }
        if (prefix != null) {
            if (prefixLength < 1 || prefixLength > prefix.length()) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " outside 1.."
                        + prefix.length());
            }
            if (prefix.layers() < layers) {
                throw new IllegalArgumentException("the prefix cache holds " + prefix.layers()
                        + " layers but the pass runs " + layers);
            }
        }
    }

    /**
     * @param layers decoder layers to run
     * @return a plan without a prefix cache, all rows readable at every layer
     */
    public static PassPlan layers(int layers) {
        return new PassPlan(layers, null, 0, false);
    }

    /**
     * @param prefix the cache to reuse
     * @param prefixLength how many of its tokens every row of the batch starts with
     * @return this plan reusing the first {@code prefixLength} cached tokens
     */
    public PassPlan withPrefix(PrefixCache prefix, int prefixLength) {
        return new PassPlan(layers, prefix, prefixLength, lastTokenOnly);
    }

    /** @return this plan, promising that only the last tokens are read after the final layer */
    public PassPlan withLastTokenOnly() {
        return new PassPlan(layers, prefix, prefixLength, true);
    }
}
