package io.github.tokenprepending;

/**
 * The decoder layers before which Token Prepending replaces the {@code <PST>} state: every layer {@code i} with
 * {@code start <= i < exit} (0-based, half-open, the official {@code tp_starting_index} and
 * {@code tp_exiting_index}). {@code start = 0} acts on the embeddings; an {@code exit} beyond the layer count means
 * "through the last layer".
 *
 * @param start first layer whose input is modified
 * @param exit first layer whose input is no longer modified
 */
public record TpRange(int start, int exit) {

    /**
     * Validates the range.
     *
     * @throws IllegalArgumentException if {@code start < 0} or {@code start >= exit}
     */
    public TpRange {
        if (start < 0) {
            throw new IllegalArgumentException("TP start must be >= 0, got " + start);
        }
        if (start >= exit) {
            throw new IllegalArgumentException("TP start (" + start + ") must be smaller than TP exit (" + exit
                    + "): the range start <= layer < exit would be empty");
        }
    }

    /**
     * @param layer a 0-based decoder layer
     * @return whether the {@code <PST>} state is replaced before that layer
     */
    public boolean appliesBefore(int layer) {
        return layer >= start && layer < exit;
    }

    @Override
    public String toString() {
        return "tp(" + start + ", " + exit + ")";
    }
}
