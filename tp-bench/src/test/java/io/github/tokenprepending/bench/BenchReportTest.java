package io.github.tokenprepending.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results are found by (method, mode), never by their position in the list. */
class BenchReportTest {
    private static BenchResult result(String method, BenchMode mode, double sentencesPerSecond, double computed) {
        return new BenchResult(method, mode, "-1 (2 layers)", mode.prefixCache(), sentencesPerSecond,
                sentencesPerSecond, sentencesPerSecond, 100, computed, 10, 0.01, 50, 500);
    }

    private static String table(List<BenchResult> results) {
        BenchReport report = new BenchReport("m", 4, 3, 2, 10, 20, 30, new LoadStats(1, 2, 3, -1, "", "float32", 2),
                results);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.printTable(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ratiosComeFromTheRowsOfTheSameMethodAndTheNamedModes() {
        // two methods, rows interleaved: a position-based grouping of four would pair prompteol's rows with cot's
        String table = table(List.of(result("prompteol", BenchMode.FULL, 10, 40),
                result("cot", BenchMode.FULL, 5, 80), result("prompteol", BenchMode.EARLY, 20, 40),
                result("cot", BenchMode.EARLY, 8, 80), result("prompteol", BenchMode.TP, 16, 42),
                result("cot", BenchMode.TP, 6, 84), result("prompteol", BenchMode.TP_CACHE, 30, 20),
                result("cot", BenchMode.TP_CACHE, 12, 30)));

        // prompteol: 16 / 20, 42 / 40, 30 / 10; cot: 6 / 8, 84 / 80, 12 / 5; cot's cached vs PromptEOL's: 12 / 30
        assertThat(table).contains("prompteol TP vs vanilla at the same output layer: 0.80x the sentences/s, computing"
                + " 1.05x the tokens per sentence; TP with prefix cache vs vanilla at full depth: 3.00x the sentences/s");
        assertThat(table).contains("cot       TP vs vanilla at the same output layer: 0.75x the sentences/s, computing"
                + " 1.05x the tokens per sentence; TP with prefix cache vs vanilla at full depth: 2.40x the sentences/s");
        assertThat(table).contains("cot       TP with prefix cache: 0.40x PromptEOL's sentences/s, computing 1.50x"
                + " the tokens per sentence");
    }

    @Test
    void theLoadLineSaysHowManyLayersWereWidened() {
        assertThat(table(List.of())).contains("needed layers loaded, checkpoint weights, float32 compute, 2 layers"
                + " widened to float32;");
    }

    @Test
    void aMethodWithoutEveryModeGetsNoRatioLine() {
        String table = table(List.of(result("prompteol", BenchMode.FULL, 10, 40),
                result("prompteol", BenchMode.TP, 16, 42)));

        assertThat(table).doesNotContain("TP vs vanilla");
        assertThat(table.lines().filter(l -> l.startsWith("prompteol "))).hasSize(2);
    }

    @Test
    void modesAreParsedOnceEachInTheBenchOrder() {
        assertThat(BenchMode.parse(List.of("tp-cache", "full", "tp"))).containsExactly(BenchMode.FULL, BenchMode.TP,
                BenchMode.TP_CACHE);
        assertThatThrownBy(() -> BenchMode.parse(List.of("full", "full", "tp", "tp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'full' is given twice");
        assertThatThrownBy(() -> BenchMode.parse(List.of("fast"))).hasMessageContaining("unknown mode 'fast'")
                .hasMessageContaining("full, early, tp, tp-cache");
    }
}
