package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tp sts} on a tiny STS-B in SentEval's layout. */
class StsCommandTest {
    @TempDir
    Path data;

    @Test
    void printsAVanillaAndATokenPrependingRow() throws IOException {
        writeStsBenchmark();

        Cli.Result r = Cli.run("sts", "--data", data.toString(), "--tasks", "STS-B");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("Method\\s+STS-B\\s+Avg");
        assertThat(lines.get(1)).matches("PromptEOL\\s+-?\\d+\\.\\d\\d\\s+-?\\d+\\.\\d\\d");
        assertThat(lines.get(2)).matches("PromptEOL \\+ TP\\s+-?\\d+\\.\\d\\d\\s+-?\\d+\\.\\d\\d");
    }

    @Test
    void markdownTable() throws IOException {
        writeStsBenchmark();

        Cli.Result r = Cli.run("sts", "--data", data.toString(), "--tasks", "sts-b", "--markdown", "--tp-only");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("| Method | STS-B | Avg |\n|---|---:|---:|\n| PromptEOL + TP | ");
    }

    @Test
    void missingTaskDirectoryFailsBeforeLoadingTheModel() {
        Cli.Result r = Cli.run("sts", "--data", data.toString(), "--tasks", "SICK-R");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(data.resolve("SICK").toString()).contains("not found")
                .doesNotContain("model:");
    }

    @Test
    void unknownTaskIsAUsageError() {
        Cli.Result r = Cli.run("sts", "--data", data.toString(), "--tasks", "STS99");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown STS task 'STS99'");
    }

    /** STS-B's sts-test.csv: genre, file, year, id, score, sentence 1, sentence 2. */
    private void writeStsBenchmark() throws IOException {
        Path dir = Files.createDirectories(data.resolve("STSBenchmark"));
        String[][] pairs = {
            {"5.000", "A man is playing a guitar.", "A man plays a guitar."},
            {"0.500", "A woman is slicing an onion.", "A dog runs in the park."},
            {"3.200", "A cat sleeps.", "A cat is sleeping on a bed."},
            {"1.000", "The sun is hot.", "A boy reads a book."},
            {"4.400", "Two kids play.", "Two children are playing."},
            {"2.000", "A girl is styling her hair.", "A girl is brushing her hair."},
        };
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < pairs.length; i++) {
            csv.append(String.join("\t", "main-captions", "MSRvid", "2012test", String.format("%04d", i),
                    pairs[i][0], pairs[i][1], pairs[i][2])).append('\n');
        }
        Files.writeString(dir.resolve("sts-test.csv"), csv);
    }
}
