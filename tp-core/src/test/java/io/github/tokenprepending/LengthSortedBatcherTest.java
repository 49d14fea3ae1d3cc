package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LengthSortedBatcherTest {

    private static List<List<Integer>> asLists(List<int[]> batches) {
        List<List<Integer>> out = new ArrayList<>();
        for (int[] b : batches) {
            out.add(Arrays.stream(b).boxed().toList());
        }
        return out;
    }

    @Test
    void sortsLongestFirstAndCutsBySize() {
        int[] lengths = {5, 9, 7, 3, 8};
        // longest first: 1 (9), 4 (8), 2 (7), 0 (5), 3 (3)
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 2, 1000)))
                .containsExactly(List.of(1, 4), List.of(2, 0), List.of(3));
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 10, 1000))).containsExactly(List.of(1, 4, 2, 0, 3));
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 1, 1000)))
                .containsExactly(List.of(1), List.of(4), List.of(2), List.of(0), List.of(3));
    }

    @Test
    void respectsThePaddedTokenBudget() {
        int[] lengths = {10, 10, 10, 4, 4, 4, 4, 4};
        // a batch is padded to its first (longest) prompt: 2 * 10 <= 25 but 3 * 10 > 25, so 2 and 3 go together
        // (padded to 10), then the remaining 4-token prompts: 4 * 4 = 16 <= 25
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 100, 25)))
                .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4, 5, 6, 7));
        assertThat(asLists(LengthSortedBatcher.plan(new int[] {4, 4, 4, 4, 4, 4, 4}, 100, 25)))
                .containsExactly(List.of(0, 1, 2, 3, 4, 5), List.of(6));
        // exactly on the budget is allowed
        assertThat(asLists(LengthSortedBatcher.plan(new int[] {5, 5, 5}, 100, 15)))
                .containsExactly(List.of(0, 1, 2));
    }

    @Test
    void anOverBudgetPromptGetsABatchOfItsOwn() {
        int[] lengths = {3, 50, 3, 3};
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 8, 20)))
                .containsExactly(List.of(1), List.of(0, 2, 3));
        assertThat(asLists(LengthSortedBatcher.plan(new int[] {50, 60}, 8, 20)))
                .containsExactly(List.of(1), List.of(0));
    }

    @Test
    void tiesKeepInputOrder() {
        int[] lengths = {4, 6, 4, 6, 4, 6};
        assertThat(asLists(LengthSortedBatcher.plan(lengths, 4, 1000)))
                .containsExactly(List.of(1, 3, 5, 0), List.of(2, 4));
    }

    @Test
    void emptyInputGivesNoBatches() {
        assertThat(LengthSortedBatcher.plan(new int[0], 4, 100)).isEmpty();
    }

    @Test
    void randomPlansCoverEveryIndexOnceWithinTheLimits() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = rnd.nextInt(60);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = 1 + rnd.nextInt(rnd.nextBoolean() ? 10 : 200);
            }
            int batchSize = 1 + rnd.nextInt(12);
            long budget = 1 + rnd.nextInt(600);
            List<int[]> plan = LengthSortedBatcher.plan(lengths, batchSize, budget);
            int[] seen = new int[n];
            int previousShortest = Integer.MAX_VALUE;
            List<Integer> flat = new ArrayList<>();
            for (int[] batch : plan) {
                assertThat(batch.length).isBetween(1, batchSize);
                int longest = lengths[batch[0]];
                if (batch.length > 1) {
                    assertThat((long) batch.length * longest).isLessThanOrEqualTo(budget);
                }
                for (int k = 0; k < batch.length; k++) {
                    seen[batch[k]]++;
                    flat.add(batch[k]);
                    if (k > 0) {
                        assertThat(lengths[batch[k]]).isLessThanOrEqualTo(lengths[batch[k - 1]]);
                    }
                }
                assertThat(longest).as("batches are in decreasing length").isLessThanOrEqualTo(previousShortest);
                previousShortest = lengths[batch[batch.length - 1]];
            }
            for (int i = 0; i < n; i++) {
                assertThat(seen[i]).as("index %d appears exactly once", i).isEqualTo(1);
            }
            // the concatenation is the stable sort by decreasing length
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i);
            }
            expected.sort((x, y) -> lengths[y] != lengths[x] ? Integer.compare(lengths[y], lengths[x])
                    : Integer.compare(x, y));
            assertThat(flat).isEqualTo(expected);
        }
    }
}
