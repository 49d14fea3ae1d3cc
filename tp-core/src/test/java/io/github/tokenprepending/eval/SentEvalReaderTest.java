package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentEvalReaderTest {
    @TempDir
    static Path unpacked;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void unpackRealData() {
        data = StsTestData.unpack(unpacked);
    }

    // Scored pairs per task (and subset, below) in SentEval's STS test data, as verified when the data was collected
    // (the shared data set's SOURCES.md, "Verification done").
    @Test
    void realDataHasThePaperPairCounts() throws IOException {
        Map<StsTask, Integer> expected = Map.of(StsTask.STS12, 3108, StsTask.STS13, 1500, StsTask.STS14, 3750,
                StsTask.STS15, 3000, StsTask.STS16, 1186, StsTask.STS_B, 1379, StsTask.SICK_R, 4927);
        for (StsTask task : StsTask.values()) {
            StsDataset dataset = task.load(data);
            assertThat(dataset.size()).as(task.label()).isEqualTo(expected.get(task));
            assertThat(dataset.pairs()).as(task.label()).hasSize(expected.get(task));
            assertThat(dataset.subsets()).extracting(StsSubset::name).as(task.label()).isEqualTo(task.subsets());
        }
    }

    // SentEval's own tree keeps the STS tasks under data/downstream/STS/ and SICK under data/downstream/SICK/.
    @Test
    void readsSentEvalsDownstreamLayout() throws IOException {
        Path downstream = dir.resolve("downstream");
        Files.createDirectories(downstream.resolve("STS"));
        Files.createSymbolicLink(downstream.resolve("STS").resolve("STS13-en-test"),
                data.resolve("STS13-en-test").toAbsolutePath());
        Files.createSymbolicLink(downstream.resolve("SICK"), data.resolve("SICK").toAbsolutePath());
        assertThat(StsTask.STS13.load(downstream).size()).isEqualTo(1500);
        assertThat(StsTask.SICK_R.load(downstream).size()).isEqualTo(4927);
    }

    @Test
    void realDataHasTheSubsetCounts() throws IOException {
        assertThat(subsetSizes(StsTask.STS12)).containsExactly(750, 750, 459, 750, 399);
        assertThat(subsetSizes(StsTask.STS13)).containsExactly(189, 750, 561);
        assertThat(subsetSizes(StsTask.STS14)).containsExactly(450, 300, 750, 750, 750, 750);
        assertThat(subsetSizes(StsTask.STS15)).containsExactly(375, 750, 375, 750, 750);
        assertThat(subsetSizes(StsTask.STS16)).containsExactly(254, 249, 230, 244, 209);
    }

    // First scored pairs, read off the files (`head`; for belief and postediting the first lines with a gold score).
    @Test
    void firstPairsMatchTheFiles() throws IOException {
        assertThat(StsTask.STS12.load(data).subsets().get(0).pairs().get(0)).isEqualTo(new StsPair(
                "the problem likely will mean corrective changes before the shuttle fleet starts flying again .",
                "he said the problem needs to be corrected before the space shuttle fleet is cleared to fly again .",
                4.4));
        assertThat(StsTask.STS13.load(data).subsets().get(1).pairs().get(0)).isEqualTo(new StsPair(
                "drug lord captured by marines in mexico",
                "suspected drug lord known as \u2018 el taliban \u2019 held in mexico", 2.6));
        // belief: the first two gold lines are empty, so the first scored pair is line 3
        assertThat(SentEvalReader.readStsSubset(data.resolve("STS15-en-test"), "belief").pairs().get(0))
                .isEqualTo(new StsPair(
                        "hollywood will be required occasionally to cast english actors as good guys .",
                        "hollywood will also be required to cast english actors to play english characters .", 2.7));
        assertThat(SentEvalReader.readStsSubset(data.resolve("STS16-en-test"), "postediting").pairs().get(0))
                .isEqualTo(new StsPair("\" it would be a mistake to underestimate her .",
                        "\" it would be a mistake to the underestimate .", 3.0));
        assertThat(StsTask.STS_B.load(data).pairs().get(0)).isEqualTo(
                new StsPair("a girl is styling her hair .", "a girl is brushing her hair .", 2.5));
        // SICK_test_annotated.txt has CRLF line ends and is not lowercased
        assertThat(StsTask.SICK_R.load(data).pairs().get(0)).isEqualTo(new StsPair(
                "There is no boy playing outdoors and there is no man smiling",
                "A group of kids is playing in a yard and an old man is standing in the background", 3.3));
    }

    @Test
    void stsSubsetDropsUnscoredPairsAndNormalisesWhitespace() throws IOException {
        write("STS.input.x.txt", "  a  b\tc\u00a0 d \n\te\r\nf\tg\rh\t\n");
        write("STS.gs.x.txt", "1.5\n\n 2 \r\n-0.25e1\n");
        StsSubset subset = SentEvalReader.readStsSubset(dir, "x");
        assertThat(subset.name()).isEqualTo("x");
        assertThat(subset.pairs()).containsExactly(new StsPair("a b", "c d", 1.5), new StsPair("f", "g", 2.0),
                new StsPair("h", "", -2.5));
    }

    @Test
    void stsInputLineWithoutTabNamesFileAndLine() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\nno tab here\n");
        write("STS.gs.x.txt", "1\n2\n3\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.input.x.txt"), 3,
                "expected 2 tab-separated sentences, found 1 field(s)");
    }

    @Test
    void stsInputLineWithThreeFieldsIsRejectedEvenIfUnscored() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\te\nf\tg\n");
        write("STS.gs.x.txt", "1\n\n3\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.input.x.txt"), 2,
                "found 3 field(s)");
    }

    @Test
    void unparsableGoldNamesFileAndLine() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\ne\tf\n");
        write("STS.gs.x.txt", "1\n2,5\n3\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.gs.x.txt"), 2,
                "the score '2,5' is not a finite decimal number");
    }

    @Test
    void whitespaceOnlyOrNanGoldIsAnError() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\n");
        write("STS.gs.x.txt", "1\n \n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.gs.x.txt"), 2,
                "the score ' ' is not");
        write("STS.gs.x.txt", "nan\n2\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.gs.x.txt"), 1,
                "the score 'nan' is not");
    }

    @Test
    void lineCountMismatchNamesTheShorterFile() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\ne\tf\n");
        write("STS.gs.x.txt", "1\n2\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.gs.x.txt"), 3,
                "STS.input.x.txt has 3 lines but STS.gs.x.txt has 2");
        write("STS.gs.x.txt", "1\n2\n3\n\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.input.x.txt"), 4,
                "STS.input.x.txt has 3 lines but STS.gs.x.txt has 4");
    }

    @Test
    void subsetWithoutScoredPairsIsAnError() throws IOException {
        write("STS.input.x.txt", "a\tb\nc\td\n");
        write("STS.gs.x.txt", "\n\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.gs.x.txt"), 0,
                "no scored pairs");
    }

    @Test
    void invalidUtf8NamesFileAndLine() throws IOException {
        Files.write(dir.resolve("STS.input.x.txt"), new byte[] {'a', '\t', 'b', '\n', 'c', '\t', (byte) 0xC3, '\n'});
        write("STS.gs.x.txt", "1\n2\n");
        assertFormatError(() -> SentEvalReader.readStsSubset(dir, "x"), dir.resolve("STS.input.x.txt"), 2,
                "not valid UTF-8");
    }

    @Test
    void missingSubsetFileIsNamed() throws IOException {
        write("STS.input.x.txt", "a\tb\n");
        assertThatThrownBy(() -> SentEvalReader.readStsSubset(dir, "x"))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("STS.gs.x.txt").toString())
                .hasMessageContaining("not found");
    }

    @Test
    void missingDirectoriesAreNamed() throws IOException {
        Path nowhere = dir.resolve("nowhere");
        assertThatThrownBy(() -> StsTask.STS12.load(nowhere))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(nowhere.toString())
                .hasMessageContaining("STS data directory not found");
        assertThatThrownBy(() -> StsTask.STS14.load(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("STS14-en-test").toString())
                .hasMessageContaining("STS14 data directory not found");
        Files.createDirectory(dir.resolve("STSBenchmark"));
        assertThatThrownBy(() -> StsTask.STS_B.load(dir))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("STSBenchmark").resolve("sts-test.csv").toString());
    }

    @Test
    void stsBenchmarkReadsColumnsFiveSixSeven() throws IOException {
        write("b.csv", "main-news\tf\t2012\t0001\t 4.250 \t  the  cat .\tthe dog .\r\n"
                + "  main-forums\tf\t2014\t0002\t0\ta\tb  \n");
        assertThat(SentEvalReader.readStsBenchmark(dir.resolve("b.csv"))).containsExactly(
                new StsPair("the cat .", "the dog .", 4.25), new StsPair("a", "b", 0.0));
    }

    @Test
    void stsBenchmarkWrongColumnCountNamesFileAndLine() throws IOException {
        write("b.csv", "g\tf\t2012\t1\t1.0\ta\tb\ng\tf\t2012\t2\t1.0\ta\tb\tsource\tsource\n");
        assertFormatError(() -> SentEvalReader.readStsBenchmark(dir.resolve("b.csv")), dir.resolve("b.csv"), 2,
                "expected 7 tab-separated columns (genre, file, year, id, score, sentence 1, sentence 2), found 9");
        // strip() removes a trailing tab: an empty second sentence leaves 6 columns, as in SentEval
        write("b.csv", "g\tf\t2012\t1\t1.0\ta\t\n");
        assertFormatError(() -> SentEvalReader.readStsBenchmark(dir.resolve("b.csv")), dir.resolve("b.csv"), 1,
                "found 6");
    }

    @Test
    void stsBenchmarkUnparsableScoreNamesFileAndLine() throws IOException {
        write("b.csv", "g\tf\t2012\t1\t1.0\ta\tb\ng\tf\t2012\t2\tfour\ta\tb\n");
        assertFormatError(() -> SentEvalReader.readStsBenchmark(dir.resolve("b.csv")), dir.resolve("b.csv"), 2,
                "the score 'four' is not a finite decimal number");
    }

    @Test
    void sickSkipsTheHeaderAndCountsItInLineNumbers() throws IOException {
        write("s.txt", "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n"
                + "1\tA  man\tA woman\t4.5\tNEUTRAL\n"
                + "2\tA man\tA woman\t4.5\n");
        assertFormatError(() -> SentEvalReader.readSick(dir.resolve("s.txt")), dir.resolve("s.txt"), 3,
                "expected 5 tab-separated columns (pair_ID, sentence_A, sentence_B, relatedness_score,"
                        + " entailment_judgment), found 4");
        write("s.txt", "header\n1\tA  man\tA woman\t4.5\tNEUTRAL\n");
        assertThat(SentEvalReader.readSick(dir.resolve("s.txt"))).containsExactly(
                new StsPair("A man", "A woman", 4.5));
    }

    @Test
    void fileWithoutPairsIsAnError() throws IOException {
        write("s.txt", "pair_ID\tsentence_A\tsentence_B\trelatedness_score\tentailment_judgment\n");
        assertFormatError(() -> SentEvalReader.readSick(dir.resolve("s.txt")), dir.resolve("s.txt"), 0,
                "no pairs");
    }

    @Test
    void blankLineInStsBenchmarkIsAnError() throws IOException {
        write("b.csv", "g\tf\t2012\t1\t1.0\ta\tb\n\n");
        assertFormatError(() -> SentEvalReader.readStsBenchmark(dir.resolve("b.csv")), dir.resolve("b.csv"), 2,
                "found 1");
    }

    private List<Integer> subsetSizes(StsTask task) throws IOException {
        return task.load(data).subsets().stream().map(s -> s.pairs().size()).toList();
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static void assertFormatError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Path file,
            long line, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(StsFormatException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.line()).isEqualTo(line);
                })
                .hasMessageStartingWith(file + (line > 0 ? ":" + line + ": " : ": "))
                .hasMessageContaining(message);
    }
}
