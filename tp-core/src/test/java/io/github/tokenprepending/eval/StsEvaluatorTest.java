package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.toy.ToyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference values: output of
 * {@code /usr/bin/python3 tp-core/src/test/resources/sts/reference/scipy_reference.py tp-core/src/test/resources/sts}
 * (scipy 1.10.1, numpy 1.24.2 from Debian 12's python3-scipy). That script reads the files like SentEval's sts.py
 * and scores with SentEval's cosine and scipy's spearmanr / pearsonr; each test names the section it uses.
 */
class StsEvaluatorTest {
    private static final double EPS = 1e-12;

    @TempDir
    static Path unpacked;
    static Path data;

    @TempDir
    Path dir;

    @BeforeAll
    static void unpackRealData() {
        data = StsTestData.unpack(unpacked);
    }

    // Section "## constructed two-subset example": the same files and vectors as below.
    private static final Map<String, float[]> VECTORS = Map.of(
            "a man is playing a guitar .", new float[] {1, 0},
            "a woman slices an onion .", new float[] {1, 0},
            "a man plays a flute .", new float[] {3, 4},
            "a man plays a violin .", new float[] {4, 3},
            "a man plays the guitar .", new float[] {24, 7},
            "a woman peels a potato .", new float[] {7, 24},
            "a woman cuts a potato .", new float[] {5, 12},
            "a man plays a guitar .", new float[] {8, 15},
            "a woman is cutting an onion .", new float[] {1, 1});

    @Test
    void stsTaskScoreIsSpearmanOverAllSubsetsConcatenatedNotTheMeanOfSubsets() throws IOException {
        Files.writeString(dir.resolve("STS.input.alpha.txt"), ""
                + "a man is  playing a guitar .\ta man plays a flute .\n"
                + "the cat sleeps .\tthe dog barks .\n"
                + "a man is playing a guitar .\ta man plays a violin .\n"
                + "  a man is playing a guitar .  \ta man plays the guitar .\n");
        Files.writeString(dir.resolve("STS.gs.alpha.txt"), "1.0\n\n2.0\n3.0\n");
        Files.writeString(dir.resolve("STS.input.beta.txt"), ""
                + "a woman slices an onion .\ta woman peels a potato .\n"
                + "a woman slices an onion .\ta woman cuts a potato .\n"
                + "a man is playing a guitar .\ta man plays a guitar .\n"
                + "a woman slices an onion .\ta woman is cutting an onion .\n");
        Files.writeString(dir.resolve("STS.gs.beta.txt"), "3.5\n4.0\n4.5\n5.0\n");
        StsDataset dataset = new StsDataset(StsTask.STS12, List.of(SentEvalReader.readStsSubset(dir, "alpha"),
                SentEvalReader.readStsSubset(dir, "beta")));
        RecordingEmbedder embedder = new RecordingEmbedder(sentences -> sentences.stream().map(s -> {
            float[] v = VECTORS.get(s);
            if (v == null) {
                throw new IllegalArgumentException("unexpected sentence '" + s + "'");
            }
            return v;
        }).toList());

        StsTaskResult result = new StsEvaluator(embedder).evaluate(dataset);

        assertThat(result.task()).isEqualTo(StsTask.STS12);
        assertThat(result.pairs()).isEqualTo(7);
        assertThat(result.subsets()).extracting(StsSubsetResult::name, StsSubsetResult::pairs)
                .containsExactly(tuple("alpha", 3),
                        tuple("beta", 4));
        assertThat(result.subsets().get(0).spearman()).isCloseTo(1.0, within(EPS));
        assertThat(result.subsets().get(0).pearson()).isCloseTo(0.9979487157886733, within(EPS));
        assertThat(result.subsets().get(1).spearman()).isCloseTo(1.0, within(EPS));
        assertThat(result.subsets().get(1).pearson()).isCloseTo(0.9704421043476232, within(EPS));
        // each subset is perfectly monotone (mean of subsets 1.0), the concatenation is not
        assertThat(result.spearman()).isCloseTo(-0.28571428571428575, within(EPS));
        assertThat(result.pearson()).isCloseTo(-0.2734139377886437, within(EPS));
        // one call, each distinct (whitespace-normalised) sentence once, unscored pairs never embedded
        assertThat(embedder.calls).hasSize(1);
        assertThat(embedder.calls.get(0)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(VECTORS.keySet());
    }

    // TokenPrependingEncoder::embed is a SentenceEmbedder; batched, deduplicated embedding must score every pair
    // exactly as embedding its two sentences one by one does.
    @Test
    void tokenPrependingEncoderIsAnEmbedder() throws Exception {
        StsDataset dataset = StsTask.STS_B.load(data);
        StsDataset head = new StsDataset(StsTask.STS_B, List.of(new StsSubset("test", dataset.pairs().subList(0, 40))));
        try (ToyModel model = new ToyModel(4);
                TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, TpConfig.builder().build())) {
            StsTaskResult batched = new StsEvaluator(encoder::embed).evaluate(head);
            double[] cosines = new double[40];
            double[] gold = new double[40];
            for (int i = 0; i < 40; i++) {
                StsPair pair = head.pairs().get(i);
                cosines[i] = Cosine.similarity(encoder.embed(pair.sentence1()), encoder.embed(pair.sentence2()));
                gold[i] = pair.score();
            }
            assertThat(batched.pairs()).isEqualTo(40);
            assertThat(batched.spearman()).isCloseTo(Correlation.spearman(cosines, gold), within(1e-9));
            assertThat(batched.pearson()).isCloseTo(Correlation.pearson(cosines, gold), within(1e-6));
        }
    }

    @Test
    void cosineMonotoneInGoldGivesSpearmanOne() {
        StsDataset dataset = syntheticDataset(80);
        StsTaskResult linear = new StsEvaluator(embedderWithCosine(dataset, g -> g / 5)).evaluate(dataset);
        assertThat(linear.spearman()).isCloseTo(1.0, within(EPS));
        assertThat(linear.pearson()).isCloseTo(1.0, within(1e-6));

        StsTaskResult cubic = new StsEvaluator(embedderWithCosine(dataset, g -> Math.pow(g / 5, 3))).evaluate(dataset);
        assertThat(cubic.spearman()).isCloseTo(1.0, within(EPS));
        assertThat(cubic.pearson()).isLessThan(0.99);

        StsTaskResult reversed = new StsEvaluator(embedderWithCosine(dataset, g -> -g / 5)).evaluate(dataset);
        assertThat(reversed.spearman()).isCloseTo(-1.0, within(EPS));
    }

    // Section "## letter-count embedder on the real data": embeddings are counts of a-z then 0-9.
    @Test
    void letterCountBaselineOnTheRealDataMatchesSentEvalAndScipy() throws IOException {
        double[][] expected = {
            {0.5211158044352744, 0.5019793041074774},
            {0.49720386587811777, 0.4512354509455013},
            {0.5046170989704913, 0.47221246297471525},
            {0.5351298711079138, 0.48218792118899245},
            {0.4818169053270385, 0.4353884338830416},
            {0.5328382804400721, 0.49475184644087083},
            {0.48448785597751237, 0.5459672739076171},
        };
        int[] pairs = {3108, 1500, 3750, 3000, 1186, 1379, 4927};
        RecordingEmbedder embedder = new RecordingEmbedder(StsEvaluatorTest::letterCounts);

        StsReport report = new StsEvaluator(embedder).evaluate(data, EnumSet.allOf(StsTask.class));

        assertThat(report.results()).extracting(StsTaskResult::task).containsExactly(StsTask.values());
        for (StsTaskResult r : report.results()) {
            int t = r.task().ordinal();
            assertThat(r.spearman()).as(r.task().label()).isCloseTo(expected[t][0], within(EPS));
            assertThat(r.pearson()).as(r.task().label()).isCloseTo(expected[t][1], within(EPS));
            assertThat(r.pairs()).as(r.task().label()).isEqualTo(pairs[t]);
        }
        StsTaskResult sts12 = report.find(StsTask.STS12).orElseThrow();
        double[] subsetSpearman = {0.46300151111882726, 0.40542401918064297, 0.6048086594820432,
            0.6383859942285303, 0.47083915403490867};
        assertThat(sts12.subsets().stream().mapToDouble(StsSubsetResult::spearman).toArray())
                .containsExactly(subsetSpearman, within(EPS));
        assertThat(report.averageSpearman()).isCloseTo(average(expected), within(EPS));
        assertThat(embedder.calls).hasSize(7).allSatisfy(call -> assertThat(call).doesNotHaveDuplicates());
    }

    @Test
    void evaluatesOnlyTheRequestedTasksInThePapersOrder() throws IOException {
        RecordingEmbedder embedder = new RecordingEmbedder(StsEvaluatorTest::letterCounts);
        StsReport report = new StsEvaluator(embedder).evaluate(data, List.of(StsTask.SICK_R, StsTask.STS_B,
                StsTask.SICK_R));
        assertThat(report.results()).extracting(StsTaskResult::task).containsExactly(StsTask.STS_B, StsTask.SICK_R);
        assertThat(report.find(StsTask.STS12)).isEmpty();
        assertThat(embedder.calls).hasSize(2);
        assertThatThrownBy(() -> new StsEvaluator(embedder).evaluate(data, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedDataFailsBeforeAnythingIsEmbedded() throws IOException {
        Path root = Files.createDirectories(dir.resolve("data"));
        Path stsb = Files.createDirectories(root.resolve("STSBenchmark"));
        Files.writeString(stsb.resolve("sts-test.csv"), "g\tf\t2012\t1\t1.0\ta\tb\ng\tf\t2012\t2\t2.0\tc\td\n");
        Path sick = Files.createDirectories(root.resolve("SICK"));
        Files.writeString(sick.resolve("SICK_test_annotated.txt"), "header\n1\ta\tb\t1.0\tNEUTRAL\n2\ta b\t2.0\n");
        RecordingEmbedder embedder = new RecordingEmbedder(StsEvaluatorTest::letterCounts);
        assertThatThrownBy(() -> new StsEvaluator(embedder).evaluate(root, List.of(StsTask.STS_B, StsTask.SICK_R)))
                .isInstanceOf(StsFormatException.class)
                .hasMessageStartingWith(sick.resolve("SICK_test_annotated.txt") + ":3: expected 5 tab-separated")
                .hasMessageContaining("found 3");
        assertThat(embedder.calls).isEmpty();
        assertThat(new StsEvaluator(embedder).evaluate(root, List.of(StsTask.STS_B)).results().get(0).pairs())
                .isEqualTo(2);
    }

    @Test
    void embedderBreakingItsContractIsReported() {
        StsDataset dataset = syntheticDataset(4);
        assertThatThrownBy(() -> new StsEvaluator(s -> List.of(new float[] {1})).evaluate(dataset))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1 embeddings for 8 sentences");
        assertThatThrownBy(() -> new StsEvaluator(s -> {
            List<float[]> out = new ArrayList<>(letterCounts(s));
            out.set(3, new float[] {1, 2});
            return out;
        }).evaluate(dataset))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sentence 3 ('" + "second 1" + "') has dimension 2, the first had 36");
        assertThatThrownBy(() -> new StsEvaluator(s -> {
            List<float[]> out = new ArrayList<>(letterCounts(s));
            out.get(2)[5] = Float.NaN;
            return out;
        }).evaluate(dataset))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("sentence 2 ('first 1') has NaN at dimension 5");
    }

    @Test
    void subsetWithOnePairCannotBeCorrelated() {
        StsDataset dataset = new StsDataset(StsTask.STS13, List.of(
                new StsSubset("one", List.of(new StsPair("a", "b", 1)))));
        assertThatThrownBy(() -> new StsEvaluator(StsEvaluatorTest::letterCounts).evaluate(dataset))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("STS13 subset one has 1 pair");
    }

    /** Pairs ("first i", "second i") with gold scores on a 0.2 grid in [0, 5], with ties. */
    private static StsDataset syntheticDataset(int n) {
        Random random = new Random(42);
        List<StsPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pairs.add(new StsPair("first " + i, "second " + i, random.nextInt(26) / 5.0));
        }
        return new StsDataset(StsTask.STS_B, List.of(new StsSubset("test", pairs)));
    }

    /** Embeds "first i" as (1, 0) and "second i" as the unit vector at cosine f(gold i) from it. */
    private static SentenceEmbedder embedderWithCosine(StsDataset dataset, DoubleUnaryOperator f) {
        Map<String, float[]> vectors = new HashMap<>();
        for (StsPair pair : dataset.pairs()) {
            double c = f.applyAsDouble(pair.score());
            vectors.put(pair.sentence1(), new float[] {1, 0});
            vectors.put(pair.sentence2(), new float[] {(float) c, (float) Math.sqrt(1 - c * c)});
        }
        return sentences -> sentences.stream().map(vectors::get).toList();
    }

    private static List<float[]> letterCounts(List<String> sentences) {
        List<float[]> out = new ArrayList<>();
        for (String s : sentences) {
            float[] v = new float[36];
            for (char c : s.toCharArray()) {
                if (c >= 'a' && c <= 'z') {
                    v[c - 'a']++;
                } else if (c >= '0' && c <= '9') {
                    v[26 + c - '0']++;
                }
            }
            out.add(v);
        }
        return out;
    }

    private static double average(double[][] expected) {
        double sum = 0;
        for (double[] e : expected) {
            sum += e[0];
        }
        return sum / expected.length;
    }

    /** Remembers the sentence lists it was called with. */
    private static final class RecordingEmbedder implements SentenceEmbedder {
        final List<List<String>> calls = new ArrayList<>();
        final SentenceEmbedder delegate;

        RecordingEmbedder(SentenceEmbedder delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<float[]> embed(List<String> sentences) {
            calls.add(List.copyOf(sentences));
            return delegate.embed(sentences);
        }
    }
}
