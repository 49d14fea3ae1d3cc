package io.github.tokenprepending.spi;

/**
 * The input vector of the {@code <PST>} token. Its value only matters for layers before the first Token
 * Prepending step (the paper's Table 4: zeros, ones and Gaussian give the same STS results). The placeholder
 * id usually lies outside the checkpoint's vocabulary or inside padded rows that were never trained, so the
 * checkpoint's row is never used implicitly.
 */
public sealed interface PlaceholderInit {

    /** All zeros: the default. */
    record Zeros() implements PlaceholderInit { }

    /**
     * A seeded standard-normal sample, as the official code's {@code torch.randn(H)} (whose exact values are
     * not reproducible).
     *
     * @param seed the seed
     */
    record Gaussian(long seed) implements PlaceholderInit { }

    /**
     * A copy of another token's embedding row (the paper also tried the space token).
     *
     * @param tokenId the token to copy
     */
    record CopyOfToken(int tokenId) implements PlaceholderInit { }

    /**
     * The checkpoint's own row at the placeholder id: only for checkpoints whose vocabulary really contains
     * the placeholder (for example the golden test models, id 299).
     */
    record CheckpointRow() implements PlaceholderInit { }

    /** @return zeros */
    static PlaceholderInit zeros() {
        return new Zeros();
    }

    /**
     * @param seed the seed
     * @return a seeded Gaussian
     */
    static PlaceholderInit gaussian(long seed) {
        return new Gaussian(seed);
    }

    /**
     * @param tokenId the token whose embedding is copied
     * @return a copy of that token's row
     */
    static PlaceholderInit copyOf(int tokenId) {
        return new CopyOfToken(tokenId);
    }

    /** @return the checkpoint's stored row */
    static PlaceholderInit checkpointRow() {
        return new CheckpointRow();
    }

    /**
     * Parses {@code zeros}, {@code gaussian[:SEED]}, {@code token:ID}, {@code checkpoint}.
     *
     * @param text the description
     * @return the choice
     * @throws IllegalArgumentException for anything else
     */
    public static PlaceholderInit parse(String text) {
        String t = text.trim();
        try {
            if (t.equals("zeros")) {
                return zeros();
            }
            if (t.equals("checkpoint")) {
                return checkpointRow();
            }
            if (t.equals("gaussian")) {
                return gaussian(3407);
            }
            if (t.startsWith("gaussian:")) {
                return gaussian(Long.parseLong(t.substring("gaussian:".length())));
            }
            if (t.startsWith("token:")) {
                return copyOf(Integer.parseInt(t.substring("token:".length())));
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad number in placeholder init '" + text + "'", e);
        }
        throw new IllegalArgumentException("unknown placeholder init '" + text
                + "' (expected zeros, gaussian[:SEED], token:ID or checkpoint)");
    }
}
