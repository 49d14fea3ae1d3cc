package io.github.tokenprepending;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits prompts into batches of similar length, so that short prompts are not padded to the longest of the
 * whole input. Prompts are sorted by length (longest first, ties in input order) and cut into consecutive
 * batches of at most {@code batchSize} prompts whose padded size (prompts times longest prompt) stays within
 * {@code maxBatchTokens}; a prompt longer than the budget gets a batch of its own.
 */
final class LengthSortedBatcher {
    private LengthSortedBatcher() {
    }

    /**
     * @param lengths token count per prompt
     * @param batchSize most prompts per batch
     * @param maxBatchTokens most padded token slots per batch
     * @return batches of prompt indices, each sorted longest first
     */
    static List<int[]> plan(int[] lengths, int batchSize, long maxBatchTokens) {
        Integer[] order = IntStream.range(0, lengths.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -lengths[i]).thenComparingInt(i -> i));
        List<int[]> batches = new ArrayList<>();
        int start = 0;
        while (start < order.length) {
            int longest = lengths[order[start]];
            int end = start + 1;
            while (end < order.length && end - start < batchSize
                    && (long) (end - start + 1) * longest <= maxBatchTokens) {
                end++;
            }
            int[] batch = new int[end - start];
            for (int k = start; k < end; k++) {
                batch[k - start] = order[k];
            }
            batches.add(batch);
            start = end;
        }
        return batches;
    }
}
