package io.github.tokenprepending.spi;

import java.util.Arrays;
import java.util.List;

/**
 * A batch of tokenized prompts, unpadded. Padding and the device layout are the model's concern.
 *
 * <p>Row {@code r} holds the token ids of one prompt (special tokens included) and the index of its
 * {@code <PST>} placeholder within those ids, or {@code -1} when the row has none (vanilla prompts).
 */
public final class TokenBatch {
    private final int[][] ids;
    private final int[] placeholderIndex;

    private TokenBatch(int[][] ids, int[] placeholderIndex) {
        this.ids = ids;
        this.placeholderIndex = placeholderIndex;
    }

    /**
     * Creates a batch; arrays are copied.
     *
     * @param ids token ids per row, each row non-empty
     * @param placeholderIndex per row the index of {@code <PST>} in that row, or -1
     * @return the batch
     * @throws IllegalArgumentException if a row is empty or a placeholder index is out of range
     */
    public static TokenBatch of(int[][] ids, int[] placeholderIndex) {
        if (ids.length == 0) {
            throw new IllegalArgumentException("a token batch needs at least one row");
        }
        if (ids.length != placeholderIndex.length) {
            throw new IllegalArgumentException("rows (" + ids.length + ") and placeholder indices ("
                    + placeholderIndex.length + ") differ in number");
        }
        int[][] copy = new int[ids.length][];
        for (int r = 0; r < ids.length; r++) {
            if (ids[r] == null || ids[r].length == 0) {
                throw new IllegalArgumentException("row " + r + " has no tokens");
            }
            int p = placeholderIndex[r];
            if (p < -1 || p >= ids[r].length) {
                throw new IllegalArgumentException("row " + r + ": placeholder index " + p
                        + " outside the row's " + ids[r].length + " tokens");
            }
            copy[r] = ids[r].clone();
        }
        return new TokenBatch(copy, placeholderIndex.clone());
    }

    /**
     * Creates a batch from tokenized prompts.
     *
     * @param prompts the prompts, at least one
     * @return the batch
     */
    public static TokenBatch of(List<TokenizedPrompt> prompts) {
        int[][] ids = new int[prompts.size()][];
        int[] pst = new int[prompts.size()];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = prompts.get(r).ids();
            pst[r] = prompts.get(r).placeholderIndex();
        }
        return of(ids, pst);
    }

    /** @return number of rows */
    public int size() {
        return ids.length;
    }

    /**
     * @param row row index
     * @return a copy of the row's token ids
     */
    public int[] ids(int row) {
        return ids[row].clone();
    }

    /**
     * @param row row index
     * @param position token position in the row
     * @return the token id there
     */
    public int id(int row, int position) {
        return ids[row][position];
    }

    /**
     * @param row row index
     * @return the row's number of tokens
     */
    public int length(int row) {
        return ids[row].length;
    }

    /**
     * @param row row index
     * @return index of {@code <PST>} in the row, or -1
     */
    public int placeholderIndex(int row) {
        return placeholderIndex[row];
    }

    /**
     * The one check of token ids against an embedding: the encoder runs it per sentence (to name the sentence),
     * engines per batch (to guard direct callers of the SPI).
     *
     * @param vocabSize rows of the embedding
     * @param placeholderExempt whether a row's {@code <PST>} position may hold any id (its input vector comes from
     *     elsewhere)
     * @return {@code {row, position}} of the first id outside {@code [0, vocabSize)}, or null when all fit
     */
    public int[] firstIdOutside(int vocabSize, boolean placeholderExempt) {
        for (int r = 0; r < ids.length; r++) {
            for (int t = 0; t < ids[r].length; t++) {
                int id = ids[r][t];
                boolean exempt = placeholderExempt && t == placeholderIndex[r];
                if (!exempt && (id < 0 || id >= vocabSize)) {
                    return new int[] {r, t};
                }
            }
        }
        return null;
    }

    /** @return the longest row's length (the padded length T) */
    public int maxLength() {
        int max = 0;
        for (int[] row : ids) {
            max = Math.max(max, row.length);
        }
        return max;
    }

    /** @return rows times padded length: the number of token slots a padded batch occupies */
    public long paddedTokens() {
        return (long) ids.length * maxLength();
    }

    /** @return the number of real (unpadded) tokens */
    public long realTokens() {
        long n = 0;
        for (int[] row : ids) {
            n += row.length;
        }
        return n;
    }

    @Override
    public String toString() {
        return "TokenBatch[rows=" + ids.length + ", maxLength=" + maxLength()
                + ", placeholders=" + Arrays.toString(placeholderIndex) + "]";
    }
}
