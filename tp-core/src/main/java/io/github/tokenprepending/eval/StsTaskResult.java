package io.github.tokenprepending.eval;

import java.util.List;
import java.util.Objects;

/**
 * The result of one task. The task's correlations are over all its pairs concatenated: SentEval's "all" for
 * STS12-16, and simply the test split for STS-B and SICK-R.
 *
 * @param task the task
 * @param spearman Spearman's rho over all pairs: the number the paper reports (times 100)
 * @param pearson Pearson's r over all pairs
 * @param pairs the number of scored pairs
 * @param subsets the correlations within each subset, in SentEval's order
 */
public record StsTaskResult(StsTask task, double spearman, double pearson, int pairs,
        List<StsSubsetResult> subsets) {

    /** Copies the subset list. */
    public StsTaskResult {
        Objects.requireNonNull(task, "task");
        subsets = List.copyOf(subsets);
    }
}
