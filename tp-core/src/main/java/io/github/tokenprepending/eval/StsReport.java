package io.github.tokenprepending.eval;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The results of the tasks of one evaluation run.
 *
 * @param results one result per task, each task at most once
 */
public record StsReport(List<StsTaskResult> results) {

    /**
     * @throws IllegalArgumentException if there are no results or a task occurs twice
     */
    public StsReport {
        results = List.copyOf(results);
        if (results.isEmpty()) {
            throw new IllegalArgumentException("no results");
        }
        if (tasks(results).size() != results.size()) {
            throw new IllegalArgumentException("a task occurs more than once: " + results.stream()
                    .map(r -> r.task().label()).toList());
        }
    }

    /** @return the tasks evaluated, in the paper's order */
    public Set<StsTask> tasks() {
        return tasks(results);
    }

    /**
     * @param task a task
     * @return its result, if it was evaluated
     */
    public Optional<StsTaskResult> find(StsTask task) {
        return results.stream().filter(r -> r.task() == task).findFirst();
    }

    /** @return the mean of the tasks' Spearman correlations, unrounded (NaN if one is NaN) */
    public double averageSpearman() {
        return results.stream().mapToDouble(StsTaskResult::spearman).average().orElseThrow();
    }

    private static Set<StsTask> tasks(List<StsTaskResult> results) {
        Set<StsTask> tasks = EnumSet.noneOf(StsTask.class);
        results.forEach(r -> tasks.add(r.task()));
        return tasks;
    }
}
