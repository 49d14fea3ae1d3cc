package io.github.tokenprepending.eval;

import java.util.List;
import java.util.Objects;

/**
 * The data of one task: its subsets in SentEval's order.
 *
 * @param task the task
 * @param subsets its subsets; STS-B and SICK-R have the single subset {@code test}
 */
public record StsDataset(StsTask task, List<StsSubset> subsets) {

    /**
     * @throws IllegalArgumentException if there are no subsets
     */
    public StsDataset {
        Objects.requireNonNull(task, "task");
        subsets = List.copyOf(subsets);
        if (subsets.isEmpty()) {
            throw new IllegalArgumentException(task.label() + " has no subsets");
        }
    }

    /** @return every pair, subset after subset (the "all" concatenation) */
    public List<StsPair> pairs() {
        return subsets.stream().flatMap(s -> s.pairs().stream()).toList();
    }

    /** @return the number of pairs */
    public int size() {
        return subsets.stream().mapToInt(s -> s.pairs().size()).sum();
    }
}
