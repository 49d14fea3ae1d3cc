package io.github.tokenprepending.djl.sentencetransformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trained decoder embedders read from their sentence-transformers folders give sentence-transformers' own
 * {@code encode} outputs: the same token ids, vectors within 1e-5 (float32), for every recorded case (default prompt,
 * named prompts, {@code truncate_dim} with and without {@code normalize_embeddings}), whatever the batch.
 */
class SentenceTransformersParityTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path tmp;

    static Stream<String> models() {
        return StModels.NAMES.stream().filter(n -> StModels.class.getClassLoader()
                .getResource("st-models/" + n + ".golden.json") != null);
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyCaseMatchesSentenceTransformers(String name) {
        Golden golden = StModels.golden(name);
        Path dir = StModels.unpack(name, tmp);
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(dir).build()) {
            assertThat(encoder.config().isVanilla()).as("a trained embedder runs without TP by default").isTrue();
            for (Case c : golden.cases()) {
                try (SentenceEncoder variant = encoder.variant(b -> b.dimensions(c.truncateDim())
                        .normalize(c.normalize()).batchSize(c.batchSize()))) {
                    for (int i = 0; i < golden.sentences().size(); i++) {
                        assertThat(variant.tokenize(golden.sentences().get(i), c.promptName()).get(0).ids())
                                .as("%s %s: token ids of sentence %d", name, c.name(), i)
                                .containsExactly(c.tokenIds()[i]);
                    }
                    List<float[]> vectors = variant.embed(golden.sentences(), c.promptName());
                    assertClose(vectors, c.embeddings(), name + " " + c.name());
                }
            }
        }
    }

    /** Each sentence alone (no padding at all) gives what the mixed, padded batches give. */
    @ParameterizedTest
    @MethodSource("models")
    void resultsDoNotDependOnTheBatch(String name) {
        Golden golden = StModels.golden(name);
        Case c = golden.cases().get(golden.cases().size() > 1 ? 1 : 0);
        Path dir = StModels.unpack(name, tmp);
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(dir).build()) {
            List<float[]> alone = new ArrayList<>();
            for (String s : golden.sentences()) {
                alone.add(encoder.embed(s, c.promptName()));
            }
            List<String> reversed = new ArrayList<>(golden.sentences());
            java.util.Collections.reverse(reversed);
            List<float[]> backwards = new ArrayList<>(encoder.embed(reversed, c.promptName()));
            java.util.Collections.reverse(backwards);
            float[][] expected = c.truncateDim() == 0 && !c.normalize() ? c.embeddings() : null;
            if (expected != null) {
                assertClose(alone, expected, name + " alone");
                assertClose(backwards, expected, name + " reversed");
            }
            assertClose(alone, backwards.toArray(new float[0][]), name + " alone vs batched");
        }
    }

    static void assertClose(List<float[]> actual, float[][] expected, String what) {
        assertThat(actual).as(what).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("%s: dimension of sentence %d", what, i).hasSize(expected[i].length);
            for (int d = 0; d < expected[i].length; d++) {
                assertThat((double) actual.get(i)[d]).as("%s: sentence %d, component %d", what, i, d)
                        .isCloseTo(expected[i][d], within(TOLERANCE));
            }
        }
    }
}
