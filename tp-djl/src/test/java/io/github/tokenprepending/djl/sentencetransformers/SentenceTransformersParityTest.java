package io.github.tokenprepending.djl.sentencetransformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import io.github.tokenprepending.spi.DType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Trained decoder embedders read from their sentence-transformers folders give sentence-transformers' own
 * {@code encode} outputs: the same token ids, vectors within 1e-5 (float32), for every recorded case (default prompt,
 * named prompts, {@code truncate_dim} with and without {@code normalize_embeddings}), whatever the batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SentenceTransformersParityTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path tmp;
    private final Map<String, SentenceEncoder> encoders = new HashMap<>();

    /** One loaded model per folder, shared by the tests (each test uses variants or calls that change nothing). */
    private SentenceEncoder encoder(String name) {
        return encoders.computeIfAbsent(name, n -> SentenceEncoder.builder().model(StModels.unpack(n, tmp))
                .dtype(DType.FLOAT32).build());
    }

    @AfterAll
    void close() {
        encoders.values().forEach(SentenceEncoder::close);
    }

    static Stream<String> models() {
        return StModels.NAMES.stream().filter(n -> StModels.class.getClassLoader()
                .getResource("st-models/" + n + ".golden.json") != null);
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyCaseMatchesSentenceTransformers(String name) {
        Golden golden = StModels.golden(name);
        SentenceEncoder encoder = encoder(name);
        {
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
        SentenceEncoder encoder = encoder(name);
        {
            List<float[]> alone = new ArrayList<>();
            for (String s : golden.sentences()) {
                alone.add(encoder.embed(s, c.promptName()));
            }
            List<String> reversed = new ArrayList<>(golden.sentences());
            Collections.reverse(reversed);
            List<float[]> backwards = new ArrayList<>(encoder.embed(reversed, c.promptName()));
            Collections.reverse(backwards);
            float[][] expected = c.truncateDim() == 0 && !c.normalize() ? c.embeddings() : null;
            if (expected != null) {
                assertClose(alone, expected, name + " alone");
                assertClose(backwards, expected, name + " reversed");
            }
            assertClose(alone, backwards.toArray(new float[0][]), name + " alone vs batched");
        }
    }

    /**
     * The instruction before a query is computed once and reused (the prefix cache applies to a raw-text prompt),
     * and the vectors stay sentence-transformers'. A mean that includes the prompt reads the prompt's final states,
     * which the cache keeps too (they do not depend on the sentence under causal attention).
     */
    @ParameterizedTest
    @MethodSource("models")
    void theInstructionPrefixIsComputedOnce(String name) {
        Golden golden = StModels.golden(name);
        Case c = golden.cases().stream().filter(k -> k.promptName() != null && k.truncateDim() == 0
                && golden.find("default").promptName() == null).findFirst().orElse(golden.cases().get(1));
        try (SentenceEncoder encoder = encoder(name).variant(b -> b.batchSize(c.batchSize()))) {
            encoder.resetStats();
            List<float[]> vectors = encoder.embed(golden.sentences(), c.promptName());
            assertThat(encoder.stats().computedTokens()).as("%s %s: tokens computed", name, c.name())
                    .isLessThan(encoder.stats().tokens());
            assertClose(vectors, c.embeddings(), name + " " + c.name() + " with the prefix cache");
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
