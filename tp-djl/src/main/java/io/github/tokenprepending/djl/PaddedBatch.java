package io.github.tokenprepending.djl;

import io.github.tokenprepending.spi.TokenBatch;

/**
 * A {@link TokenBatch} left-padded to a rectangle, as the official code feeds it: every row ends at the last
 * column, so the last token of every row sits at column {@code length - 1}. The attention mask comes from the
 * row lengths, never from comparing ids with the pad id (id 0 can be a real token).
 *
 * @param rows number of rows B
 * @param length padded length T
 * @param ids row-major ids {@code [B, T]}, pads first
 * @param mask row-major {@code [B, T]}: 1 for real tokens, 0 for pads
 * @param pads per row the number of pad columns
 */
public record PaddedBatch(int rows, int length, long[] ids, long[] mask, int[] pads) {

    /**
     * Left-pads a batch.
     *
     * @param batch the rows
     * @param skip leading tokens of every row to leave out (a cached prefix); each row must be longer
     * @param padId the id written into pad columns
     * @return the padded batch of the rows' tokens from {@code skip} on
     */
    public static PaddedBatch leftPadded(TokenBatch batch, int skip, long padId) {
        int b = batch.size();
        int t = 0;
        for (int r = 0; r < b; r++) {
            if (batch.length(r) <= skip) {
                throw new IllegalArgumentException("row " + r + " has " + batch.length(r)
                        + " tokens, not more than the " + skip + " skipped");
            }
            t = Math.max(t, batch.length(r) - skip);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        int[] pads = new int[b];
        for (int r = 0; r < b; r++) {
            int real = batch.length(r) - skip;
            pads[r] = t - real;
            for (int c = 0; c < t; c++) {
                int at = r * t + c;
                if (c < pads[r]) {
                    ids[at] = padId;
                } else {
                    ids[at] = batch.id(r, skip + c - pads[r]);
                    mask[at] = 1;
                }
            }
        }
        return new PaddedBatch(b, t, ids, mask, pads);
    }

    /**
     * @param row a row
     * @param position a position in the row's unpadded tokens, counted from the first skipped token
     * @param skip the number of skipped tokens this batch was built with
     * @return the padded column of that token
     */
    public int column(int row, int position, int skip) {
        return pads[row] + position - skip;
    }
}
