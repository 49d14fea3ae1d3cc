package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StsTableTest {
    // The paper's Table 1 (PAPER.md), Spearman x 100, in task order.
    private static final double[] PROMPTEOL = {58.81, 77.01, 66.34, 73.22, 73.56, 71.66, 69.64};
    private static final double[] PROMPTEOL_TP = {66.90, 83.12, 74.31, 79.87, 80.03, 80.67, 75.40};
    private static final double[] METAEOL = {64.16, 81.61, 73.09, 81.11, 78.94, 77.96, 74.86};

    // The Avg column of the paper (70.03, 77.19, 75.96) is reproduced from its other columns.
    @Test
    void textTableInThePapersLayout() {
        String text = new StsTable()
                .add("PromptEOL", report(PROMPTEOL))
                .add("PromptEOL + TP", report(PROMPTEOL_TP))
                .add("MetaEOL", report(METAEOL))
                .toText();
        assertThat(text).isEqualTo(""
                + "Method          STS12  STS13  STS14  STS15  STS16  STS-B  SICK-R    Avg\n"
                + "PromptEOL       58.81  77.01  66.34  73.22  73.56  71.66   69.64  70.03\n"
                + "PromptEOL + TP  66.90  83.12  74.31  79.87  80.03  80.67   75.40  77.19\n"
                + "MetaEOL         64.16  81.61  73.09  81.11  78.94  77.96   74.86  75.96\n");
    }

    @Test
    void markdownTable() {
        String md = new StsTable().add("PromptEOL | TP", report(PROMPTEOL_TP)).toMarkdown();
        assertThat(md).isEqualTo(""
                + "| Method | STS12 | STS13 | STS14 | STS15 | STS16 | STS-B | SICK-R | Avg |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                + "| PromptEOL \\| TP | 66.90 | 83.12 | 74.31 | 79.87 | 80.03 | 80.67 | 75.40 | 77.19 |\n");
    }

    // python3: '%.2f' % ((80.67 + 75.40) / 2) -> 78.03 (the double is just below 78.035)
    @Test
    void subsetOfTasksAveragesOverThoseTasks() {
        StsReport report = new StsReport(List.of(result(StsTask.SICK_R, 0.7540), result(StsTask.STS_B, 0.8067)));
        assertThat(new StsTable().add("TP", report).toText()).isEqualTo(""
                + "Method  STS-B  SICK-R    Avg\n"
                + "TP      80.67   75.40  78.03\n");
    }

    // python3: cells = ['%.2f' % (v * 100) for v in [0.100049, 0.100049, 0.100149]] -> 10.00 10.00 10.01;
    // '%.2f' % (sum(float(c) for c in cells) / 3) -> 10.00, while '%.2f' % (mean * 100) -> 10.01.
    @Test
    void avgIsTheMeanOfTheRoundedCellsAsInTheOfficialScript() {
        StsReport report = new StsReport(List.of(result(StsTask.STS12, 0.100049), result(StsTask.STS13, 0.100049),
                result(StsTask.STS14, 0.100149)));
        assertThat(StsTable.percent(report.averageSpearman())).isEqualTo("10.01");
        assertThat(new StsTable().add("x", report).toText()).endsWith("x       10.00  10.00  10.01  10.00\n");
    }

    // python3: '%.2f' % (x * 100) for each x (section "## '%.2f' % (x * 100)" of scipy_reference.py's output).
    // Java's String.format("%.2f", x * 100) prints 1.01, 2.68 and 0.13 for the first, second and fourth.
    @Test
    void percentRoundsLikePythonsFormat() {
        assertThat(StsTable.percent(0.01005)).isEqualTo("1.00");
        assertThat(StsTable.percent(0.02675)).isEqualTo("2.67");
        assertThat(StsTable.percent(0.12345)).isEqualTo("12.35");
        assertThat(StsTable.percent(0.00125)).isEqualTo("0.12");
        assertThat(StsTable.percent(0.00375)).isEqualTo("0.38");
        assertThat(StsTable.percent(-0.00001)).isEqualTo("-0.00");
        assertThat(StsTable.percent(0.6690049999999)).isEqualTo("66.90");
        assertThat(StsTable.percent(Double.NaN)).isEqualTo("nan");
    }

    @Test
    void nanCellMakesTheAverageNan() {
        StsReport report = new StsReport(List.of(result(StsTask.STS12, Double.NaN), result(StsTask.STS13, 0.5)));
        assertThat(new StsTable().add("x", report).toText()).isEqualTo(""
                + "Method  STS12  STS13  Avg\n"
                + "x         nan  50.00  nan\n");
    }

    @Test
    void rowsMustCoverTheSameTasks() {
        StsTable table = new StsTable().add("a", report(PROMPTEOL));
        StsReport fewer = new StsReport(List.of(result(StsTask.STS12, 0.5)));
        assertThatThrownBy(() -> table.add("b", fewer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row 'b' covers [STS12]");
    }

    @Test
    void emptyTableCannotBePrinted() {
        assertThatThrownBy(() -> new StsTable().toText()).isInstanceOf(IllegalStateException.class);
    }

    private static StsReport report(double[] percents) {
        List<StsTaskResult> results = new ArrayList<>();
        for (StsTask task : StsTask.values()) {
            results.add(result(task, percents[task.ordinal()] / 100));
        }
        return new StsReport(results);
    }

    private static StsTaskResult result(StsTask task, double spearman) {
        return new StsTaskResult(task, spearman, 0.0, 100, List.of());
    }
}
