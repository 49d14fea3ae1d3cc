package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.Cosine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tp similarity} with the bundled toy model. */
class SimilarityCommandTest {
    private static final String A = "A man is playing a guitar.";
    private static final String B = "The stock market fell sharply today.";

    @TempDir
    Path dir;

    @Test
    void twoSentencesGiveOneNumberEqualToTheCosineOfTheirEmbeddings() {
        Cli.Result r = Cli.run("similarity", A, B);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).matches("-?\\d\\.\\d{6}\n");
        double printed = Double.parseDouble(r.out().trim());
        assertThat(printed).isBetween(-1.0, 1.0);
        List<float[]> v = EmbedCommandTest.vectors(Cli.runWithInput(A + "\n" + B + "\n", "embed").out());
        assertThat(printed).isCloseTo(Cosine.similarity(v.get(0), v.get(1)), within(1e-6));
        assertThat(r.err()).contains("model: stories260K-hf (bundled toy model)");
    }

    @Test
    void pairsFileGivesOneScorePerLine() throws IOException {
        Path pairs = Files.writeString(dir.resolve("pairs.tsv"), A + "\t" + B + "\n" + A + "\t" + A + "\n"
                + B + "\t" + A + "\n");

        Cli.Result r = Cli.run("similarity", "--pairs", pairs.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Double> scores = r.out().lines().map(Double::parseDouble).toList();
        assertThat(scores).hasSize(3).allSatisfy(s -> assertThat(s).isBetween(-1.0, 1.0));
        assertThat(scores.get(1)).isCloseTo(1.0, within(1e-6));
        assertThat(scores.get(2)).isCloseTo(scores.get(0), within(1e-6));
        assertThat(scores.get(0)).isCloseTo(Double.parseDouble(Cli.run("similarity", A, B).out().trim()),
                within(2e-6));
    }

    @Test
    void pairsLineWithoutTabFailsNamingTheLine() throws IOException {
        Path pairs = Files.writeString(dir.resolve("pairs.tsv"), A + "\t" + B + "\njust one sentence\n");

        Cli.Result r = Cli.run("similarity", "--pairs", pairs.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("pairs.tsv: line 2 has 1 tab-separated field, expected 2");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void threeSentencesGiveAMatrix() {
        Cli.Result r = Cli.run("similarity", A, B, "A woman is slicing an onion.");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("[0] " + A).contains("[2] A woman is slicing an onion.");
        assertThat(r.out().lines().filter(l -> l.matches("\\[\\d]\\s+( +-?\\d\\.\\d{4}){3}"))).hasSize(3);
        assertThat(r.out()).contains("[0]    1.0000");
    }

    @Test
    void sentencesAndPairsTogetherAreAUsageError() {
        Cli.Result r = Cli.run("similarity", "--pairs", "x.tsv", A);

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not both");
    }
}
