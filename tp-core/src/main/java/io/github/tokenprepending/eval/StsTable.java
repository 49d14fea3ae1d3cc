package io.github.tokenprepending.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The paper's STS table: one row per labelled report, one column per task evaluated in the paper's order
 * ({@code STS12 STS13 STS14 STS15 STS16 STS-B SICK-R}), then {@code Avg}. Cells are Spearman x 100 with two
 * decimals. As in the official evaluation script (SimCSE's {@code evaluation.py}), Avg is the mean of the printed,
 * already rounded cells, over the tasks of the row; it can differ in the last digit from rounding
 * {@link StsReport#averageSpearman()}. Numbers are rounded like Python's {@code "%.2f"} (the exact binary value,
 * ties to even); NaN prints as {@code nan}.
 *
 * <p>All rows must cover the same tasks. Not thread-safe.
 */
public final class StsTable {
    private static final String METHOD = "Method";
    private static final String AVG = "Avg";

    private final List<String> labels = new ArrayList<>();
    private final List<StsReport> reports = new ArrayList<>();

    /**
     * Adds a row.
     *
     * @param label the row's label, e.g. {@code PromptEOL + TP}
     * @param report the row's results
     * @return this table
     * @throws IllegalArgumentException if the report's tasks differ from the first row's
     */
    public StsTable add(String label, StsReport report) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(report, "report");
        if (!reports.isEmpty() && !reports.get(0).tasks().equals(report.tasks())) {
            throw new IllegalArgumentException("row '" + label + "' covers " + names(report.tasks()) + ", row '"
                    + labels.get(0) + "' covers " + names(reports.get(0).tasks()));
        }
        labels.add(label);
        reports.add(report);
        return this;
    }

    /**
     * @return the table as plain text: columns separated by two spaces, labels left-aligned, numbers
     *     right-aligned, every line ending in a newline
     * @throws IllegalStateException if there are no rows
     */
    public String toText() {
        return TableFormat.text(cells());
    }

    /**
     * @return the table in Markdown, numbers right-aligned, {@code |} in labels escaped
     * @throws IllegalStateException if there are no rows
     */
    public String toMarkdown() {
        return TableFormat.markdown(cells());
    }

    /** Header and rows of cells. */
    private List<List<String>> cells() {
        if (reports.isEmpty()) {
            throw new IllegalStateException("the table has no rows");
        }
        Set<StsTask> tasks = reports.get(0).tasks();
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(METHOD);
        tasks.forEach(t -> header.add(t.label()));
        header.add(AVG);
        rows.add(header);
        for (int r = 0; r < reports.size(); r++) {
            StsReport report = reports.get(r);
            List<String> row = new ArrayList<>();
            row.add(labels.get(r));
            double sum = 0;
            for (StsTask task : tasks) {
                String cell = percent(report.find(task).orElseThrow().spearman());
                row.add(cell);
                sum += cell.equals("nan") ? Double.NaN : Double.parseDouble(cell);
            }
            row.add(TableFormat.twoDecimals(sum / tasks.size()));
            rows.add(row);
        }
        return rows;
    }

    /**
     * @param correlation a correlation
     * @return Python's {@code "%.2f" % (correlation * 100)}
     */
    static String percent(double correlation) {
        return TableFormat.percent(correlation);
    }

    private static List<String> names(Set<StsTask> tasks) {
        return tasks.stream().map(StsTask::label).toList();
    }
}
