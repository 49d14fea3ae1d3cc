package io.github.tokenprepending.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetrievalTableTest {
    private static RetrievalReport report(double ndcg10, double other) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            for (int k : Metric.CUTOFFS) {
                metrics.put(m.key(k), other);
            }
        }
        metrics.put(Metric.NDCG.key(10), ndcg10);
        return new RetrievalReport("set", "test", 2, 3, false, metrics);
    }

    @Test
    void textAndMarkdown() {
        RetrievalTable table = new RetrievalTable().add("PromptEOL", report(0.123456, 0.5))
                .add("PromptEOL + TP", report(0.98765, 1.0));

        assertThat(table.toText()).isEqualTo("""
                Method          nDCG@10  nDCG@1  nDCG@5  nDCG@100  MAP@10  MRR@10    R@10   R@100    P@10
                PromptEOL         12.35   50.00   50.00     50.00   50.00   50.00   50.00   50.00   50.00
                PromptEOL + TP    98.77  100.00  100.00    100.00  100.00  100.00  100.00  100.00  100.00
                """);
        assertThat(table.toMarkdown()).startsWith("| Method | nDCG@10 | nDCG@1 |").contains(
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n| PromptEOL | 12.35 | 50.00 |");
    }

    @Test
    void roundsLikePython() {
        // 0.125 * 100 = 12.5 exactly; 0.00005 * 100 is a double just above 0.005, which Python's "%.2f" rounds up
        assertThat(RetrievalTable.percent(0.125)).isEqualTo("12.50");
        assertThat(RetrievalTable.percent(0.00005)).isEqualTo("0.01");
        assertThat(RetrievalTable.percent(0)).isEqualTo("0.00");
    }

    @Test
    void emptyTable() {
        assertThatThrownBy(() -> new RetrievalTable().toText()).isInstanceOf(IllegalStateException.class);
    }
}
