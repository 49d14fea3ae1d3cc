package io.github.tokenprepending.eval.retrieval;

import io.github.tokenprepending.eval.TableFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Retrieval results side by side: one row per labelled report, the headline nDCG@10 first, then nDCG@1, @5, @100,
 * MAP@10, MRR@10, Recall@10, @100 and P@10 (every metric at every cutoff is in the report). Cells are metric x 100
 * with two decimals (rounded from the exact binary value, ties to even), as MTEB's leaderboards print them.
 *
 * <p>Not thread-safe.
 */
public final class RetrievalTable {
    private static final List<Column> COLUMNS = List.of(new Column(Metric.NDCG, 10), new Column(Metric.NDCG, 1),
            new Column(Metric.NDCG, 5), new Column(Metric.NDCG, 100), new Column(Metric.MAP, 10),
            new Column(Metric.MRR, 10), new Column(Metric.RECALL, 10), new Column(Metric.RECALL, 100),
            new Column(Metric.PRECISION, 10));

    private final List<String> labels = new ArrayList<>();
    private final List<RetrievalReport> reports = new ArrayList<>();

    private record Column(Metric metric, int k) {
    }

    /**
     * @param label the row's label, e.g. {@code PromptEOL + TP}
     * @param report the row's results
     * @return this table
     */
    public RetrievalTable add(String label, RetrievalReport report) {
        labels.add(Objects.requireNonNull(label, "label"));
        reports.add(Objects.requireNonNull(report, "report"));
        return this;
    }

    /**
     * @return the table as plain text: columns separated by two spaces, labels left-aligned, numbers right-aligned
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

    private List<List<String>> cells() {
        if (reports.isEmpty()) {
            throw new IllegalStateException("the table has no rows");
        }
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add("Method");
        COLUMNS.forEach(c -> header.add(c.metric().label(c.k())));
        rows.add(header);
        for (int r = 0; r < reports.size(); r++) {
            List<String> row = new ArrayList<>();
            row.add(labels.get(r));
            for (Column c : COLUMNS) {
                row.add(percent(reports.get(r).get(c.metric(), c.k())));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * @param value a metric in [0, 1]
     * @return {@code "%.2f" % (value * 100)} as Python rounds it
     */
    static String percent(double value) {
        return TableFormat.percent(value);
    }
}
