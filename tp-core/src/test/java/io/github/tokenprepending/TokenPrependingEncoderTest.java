package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import io.github.tokenprepending.toy.ToyModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The encoder on the pure-Java {@link ToyModel}. Expected embeddings come from a reference loop written here from
 * SEMANTICS.md sections 1 and 2 ({@link #reference}): the prompt is built by hand from the official string, tokenized
 * by the toy's tokenizer, and run through the toy's pass one layer at a time, replacing before layers
 * {@code start..exit-1}, reading the last token after the output layer's number of layers.
 */
class TokenPrependingEncoderTest {
    private static final double TOL = 1e-6;
    private static final int LAYERS = 4;
    private static final String[] SENTENCES = {
        "A man is playing a guitar on the street.",
        "Dogs run",
        "The quick brown fox jumps over the lazy dog near the river bank at dawn?",
        "She said \"hello\"",
        "   spaced\u00A0out\u3000words  ",
        "x",
        "Two birds sit on a wire.",
        "",
    };
    /** {@link #SENTENCES} after the paper's preprocessing, written by hand (see SentencePreprocessorTest). */
    private static final String[] PROCESSED = {
        "A man is playing a guitar on the street.",
        "Dogs run.",
        "The quick brown fox jumps over the lazy dog near the river bank at dawn.",
        "She said 'hello'",
        "spaced out words.",
        "x.",
        "Two birds sit on a wire.",
        "",
    };

    /** The model under test: its calls are counted. */
    private final ToyModel model = new ToyModel(LAYERS);
    /** The same weights, for the reference computations (so they do not show up in {@link #model}'s calls). */
    private final ToyModel referenceModel = new ToyModel(LAYERS);

    private static TpConfig.Builder base() {
        return TpConfig.builder().tp(1, 3).outputLayer(-1).prefixCache(false);
    }

    private TokenPrependingEncoder encoder(TpConfig.Builder config) {
        return new TokenPrependingEncoder(model, config.build());
    }

    /** PromptEOL, TP variant, built by hand from the official string. */
    private static RenderedPrompt promptEol(String processed) {
        return RenderedPrompt.withPlaceholder("This sentence : ", " \"" + processed + "\" means in one word:\"");
    }

    /** PromptEOL, vanilla variant, built by hand from the official string. */
    private static RenderedPrompt promptEolVanilla(String processed) {
        return RenderedPrompt.plain("This sentence : \"" + processed + "\" means in one word:\"");
    }

    /** The reference loop: one row alone, no prefix cache, the last token after {@code layers} layers. */
    private float[] reference(RenderedPrompt prompt, TpRange tp, int layers) {
        TokenizedPrompt p = referenceModel.tokenizer().encode(prompt);
        try (ForwardPass pass = referenceModel.start(TokenBatch.of(List.of(p)), PassPlan.layers(layers))) {
            for (int i = 0; i < layers; i++) {
                if (tp != null && i >= tp.start() && i < tp.exit()) {
                    pass.prependSentenceEmbedding();
                }
                pass.runLayer(i);
            }
            return pass.rowsAt(new int[] {p.length() - 1})[0];
        }
    }

    /** The toy tokenizer's id of a word (HashingTokenizer(97, 3, 1, 97)), computed by hand. */
    private static int wordId(String word) {
        return 3 + Math.floorMod(word.hashCode(), 94);
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int d = 0; d < expected.length; d++) {
            assertThat((double) actual[d]).as("%s [%d]", what, d).isCloseTo(expected[d], within(TOL));
        }
    }

    private static void assertClose(List<float[]> actual, List<float[]> expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertClose(actual.get(i), expected.get(i), what + ", sentence " + i);
        }
    }

    private static double maxDiff(float[] x, float[] y) {
        double m = 0;
        for (int d = 0; d < x.length; d++) {
            m = Math.max(m, Math.abs(x[d] - y[d]));
        }
        return m;
    }

    private static List<String> layerCalls(List<String> calls) {
        return calls.stream().filter(c -> c.startsWith("layer@") || c.startsWith("tp@")).toList();
    }

    // ---------------------------------------------------------------- the TP range and the output layer

    @Test
    void replacesBeforeExactlyLayersStartToExitMinusOne() {
        try (TokenPrependingEncoder enc = encoder(base().tp(1, 3))) {
            enc.embed("Dogs run");
        }
        assertThat(model.calls()).containsExactly("start", "layer@0", "tp@1", "layer@1", "tp@2", "layer@2",
                "layer@3", "pooled");
    }

    @Test
    void startZeroActsOnTheEmbeddings() {
        try (TokenPrependingEncoder enc = encoder(base().tp(0, 2))) {
            float[] e = enc.embed("Dogs run");
            assertClose(e, reference(promptEol("Dogs run."), new TpRange(0, 2), LAYERS), "tp(0, 2)");
        }
        assertThat(layerCalls(model.calls())).containsExactly("tp@0", "layer@0", "tp@1", "layer@1", "layer@2",
                "layer@3");
    }

    @Test
    void anExitBeyondTheModelMeansThroughTheLastLayer() {
        try (TokenPrependingEncoder enc = encoder(base().tp(1, 99))) {
            float[] e = enc.embed("Dogs run");
            assertClose(e, reference(promptEol("Dogs run."), new TpRange(1, LAYERS), LAYERS), "tp(1, 99)");
        }
        assertThat(layerCalls(model.calls())).containsExactly("layer@0", "tp@1", "layer@1", "tp@2", "layer@2",
                "tp@3", "layer@3");
    }

    @Test
    void embeddingsEqualTheReferenceLoop() {
        for (TpRange tp : List.of(new TpRange(1, 3), new TpRange(0, 1), new TpRange(2, 4), new TpRange(1, 99))) {
            try (TokenPrependingEncoder enc = encoder(base().tp(tp).batchSize(3))) {
                List<float[]> out = enc.embed(Arrays.asList(SENTENCES));
                for (int i = 0; i < SENTENCES.length; i++) {
                    assertClose(out.get(i), reference(promptEol(PROCESSED[i]), tp, LAYERS), tp + " sentence " + i);
                }
            }
        }
    }

    @Test
    void theReplacementChangesTheEmbedding() {
        // a guard that the toy is sensitive to the step, so the equalities above mean something
        float[] tp = reference(promptEol("Dogs run."), new TpRange(1, 3), LAYERS);
        float[] none = reference(promptEol("Dogs run."), null, LAYERS);
        assertThat(maxDiff(tp, none)).isGreaterThan(1e-3);
        try (TokenPrependingEncoder enc = encoder(base().tp(1, 3))) {
            assertThat(maxDiff(enc.embed("Dogs run"), none)).isGreaterThan(1e-3);
        }
    }

    @Test
    void earlyExitNeverRunsALayerAtOrAfterTheOutputLayer() {
        ToyModel six = new ToyModel(6);
        ToyModel sixReference = new ToyModel(6);
        for (int k = 0; k <= 6; k++) {
            for (OutputLayer out : k == 0 ? List.of(OutputLayer.hiddenStates(0))
                    : List.of(OutputLayer.hiddenStates(k), OutputLayer.afterLayer(k - 1),
                            OutputLayer.hiddenStates(k - 7))) {
                six.clearCalls();
                float[] e;
                try (TokenPrependingEncoder enc = new TokenPrependingEncoder(six,
                        base().tp(1, 99).outputLayer(out).build())) {
                    assertThat(enc.layersRun()).as("%s", out).isEqualTo(k);
                    e = enc.embed("Dogs run");
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    if (i >= 1) {
                        expected.add("tp@" + i);
                    }
                    expected.add("layer@" + i);
                }
                assertThat(layerCalls(six.calls())).as("output %s", out).isEqualTo(expected);

                TokenizedPrompt p = sixReference.tokenizer().encode(promptEol("Dogs run."));
                float[] ref;
                try (ForwardPass pass = sixReference.start(TokenBatch.of(List.of(p)), PassPlan.layers(6))) {
                    for (int i = 0; i < k; i++) {
                        if (i >= 1) {
                            pass.prependSentenceEmbedding();
                        }
                        pass.runLayer(i);
                    }
                    ref = pass.rowsAt(new int[] {p.length() - 1})[0];
                }
                assertClose(e, ref, "early exit at " + out + " equals a full pass read after " + k + " layers");
            }
        }
    }

    @Test
    void anOutputLayerOutsideTheModelIsRejected() {
        assertThatThrownBy(() -> encoder(base().outputLayer(5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 layers");
        assertThatThrownBy(() -> encoder(base().outputLayer(OutputLayer.afterLayer(4))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRangeStartingAtOrAfterTheOutputLayerReplacesNothing() {
        try (TokenPrependingEncoder enc = encoder(base().tp(3, 5).outputLayer(3))) {
            float[] e = enc.embed("Dogs run");
            assertClose(e, reference(promptEol("Dogs run."), null, 3), "tp(3, 5) read after 3 layers");
        }
        assertThat(model.calls()).noneMatch(c -> c.startsWith("tp@"));
    }

    // ---------------------------------------------------------------- vanilla

    @Test
    void vanillaNeverReplacesAndUsesTheVanillaTemplates() {
        try (TokenPrependingEncoder enc = encoder(base().vanilla())) {
            List<float[]> out = enc.embed(Arrays.asList(SENTENCES));
            for (int i = 0; i < SENTENCES.length; i++) {
                assertClose(out.get(i), reference(promptEolVanilla(PROCESSED[i]), null, LAYERS), "vanilla " + i);
            }
            List<TokenizedPrompt> prompts = enc.tokenize("Dogs run");
            assertThat(prompts).hasSize(1);
            assertThat(prompts.get(0).placeholderIndex()).isEqualTo(-1);
            // <s> This sentence : "Dogs run." means in one word:"
            assertThat(prompts.get(0).ids()).containsExactly(1, wordId("This"), wordId("sentence"), wordId(":"),
                    wordId("\"Dogs"), wordId("run.\""), wordId("means"), wordId("in"), wordId("one"),
                    wordId("word:\""));
        }
        assertThat(model.calls()).noneMatch(c -> c.startsWith("tp@")).contains("layer@3");
    }

    @Test
    void vanillaMetaEolUsesTheEightVanillaTemplates() {
        try (TokenPrependingEncoder enc = encoder(base().vanilla().prompt(PromptMethod.METAEOL).maxTokens(1000))) {
            List<TokenizedPrompt> prompts = enc.tokenize("Dogs run");
            assertThat(prompts).hasSize(8);
            for (int t = 0; t < 8; t++) {
                String text = PromptMethod.METAEOL.templates().get(t).text().replace("<PST> ", "")
                        .replace("*sent 0*", "Dogs run.");
                assertThat(prompts.get(t).placeholderIndex()).isEqualTo(-1);
                assertThat(prompts.get(t).ids())
                        .isEqualTo(referenceModel.tokenizer().encode(RenderedPrompt.plain(text)).ids());
            }
        }
    }

    @Test
    void tokenizeGivesTheTpPromptWithItsPlaceholder() {
        try (TokenPrependingEncoder enc = encoder(base())) {
            TokenizedPrompt p = enc.tokenize("Dogs run").get(0);
            // <s> This sentence : <PST> "Dogs run." means in one word:"
            assertThat(p.ids()).containsExactly(1, wordId("This"), wordId("sentence"), wordId(":"), 97,
                    wordId("\"Dogs"), wordId("run.\""), wordId("means"), wordId("in"), wordId("one"),
                    wordId("word:\""));
            assertThat(p.placeholderIndex()).isEqualTo(4);
        }
        assertThat(model.calls()).isEmpty();
    }

    // ---------------------------------------------------------------- batching and order

    @Test
    void resultsComeBackInInputOrderWhateverTheBatching() {
        List<String> sentences = Arrays.asList(SENTENCES);
        List<float[]> expected = new ArrayList<>();
        for (String p : PROCESSED) {
            expected.add(reference(promptEol(p), new TpRange(1, 3), LAYERS));
        }
        for (int batchSize : new int[] {1, 2, 3, 5, 8, 32}) {
            for (int budget : new int[] {8192, 40}) {
                try (TokenPrependingEncoder enc = encoder(base().batchSize(batchSize).maxBatchTokens(budget))) {
                    assertClose(enc.embed(sentences), expected, "batch size " + batchSize + ", budget " + budget);
                }
            }
        }
    }

    @Test
    void theSameSentenceGetsTheSameEmbeddingWhateverItsCompanions() {
        String target = "Two birds sit on a wire.";
        try (TokenPrependingEncoder enc = encoder(base().batchSize(4).prefixCache(true))) {
            float[] alone = enc.embed(target);
            assertClose(enc.embed(List.of("x", target)).get(1), alone, "with a short companion");
            assertClose(enc.embed(List.of(target, SENTENCES[2], SENTENCES[0], "y")).get(0), alone,
                    "with long companions");
            List<String> many = new ArrayList<>(Collections.nCopies(9, "filler words here"));
            many.add(5, target);
            assertClose(enc.embed(many).get(5), alone, "in the middle of many");
            List<String> reversed = new ArrayList<>(Arrays.asList(SENTENCES));
            Collections.reverse(reversed);
            List<float[]> forward = enc.embed(Arrays.asList(SENTENCES));
            List<float[]> backward = enc.embed(reversed);
            for (int i = 0; i < SENTENCES.length; i++) {
                assertClose(backward.get(SENTENCES.length - 1 - i), forward.get(i), "reversed input, sentence " + i);
            }
        }
    }

    @Test
    void duplicatesGetIdenticalEmbeddings() {
        try (TokenPrependingEncoder enc = encoder(base().batchSize(2))) {
            List<float[]> out = enc.embed(List.of("Dogs run", "x", "Dogs run", "Dogs run"));
            assertThat(out.get(2)).isEqualTo(out.get(0));
            assertThat(out.get(3)).isEqualTo(out.get(0));
        }
    }

    @Test
    void randomBatchingsAgreeWithTheReference() {
        java.util.Random rnd = new java.util.Random(3);
        String[] words = {"a", "dog", "runs", "in", "the", "park", "while", "two", "cats", "sleep"};
        for (int trial = 0; trial < 20; trial++) {
            int n = 1 + rnd.nextInt(15);
            List<String> sentences = new ArrayList<>();
            List<float[]> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = rnd.nextInt(12);
                List<String> w = new ArrayList<>();
                for (int k = 0; k < len; k++) {
                    w.add(words[rnd.nextInt(words.length)]);
                }
                sentences.add(String.join(" ", w));
                expected.add(reference(promptEol(len == 0 ? "" : String.join(" ", w) + "."), new TpRange(1, 3),
                        LAYERS));
            }
            TpConfig.Builder b = base().batchSize(1 + rnd.nextInt(6)).maxBatchTokens(10 + rnd.nextInt(80))
                    .prefixCache(rnd.nextBoolean());
            try (TokenPrependingEncoder enc = encoder(b)) {
                assertClose(enc.embed(sentences), expected, "trial " + trial);
            }
        }
    }

    // ---------------------------------------------------------------- MetaEOL, normalisation

    @Test
    void metaEolAveragesTheEightPerPromptEmbeddings() {
        List<String> sentences = List.of("Dogs run", "A man is playing a guitar.", "");
        List<PromptTemplate> templates = PromptMethod.METAEOL.templates();
        double[][] sum = new double[sentences.size()][ToyModel.HIDDEN];
        for (PromptTemplate t : templates) {
            PromptSet single = new PromptSet("one", List.of(t), SentencePreprocessor.paper());
            try (TokenPrependingEncoder enc = encoder(base().prompts(single).maxTokens(1000))) {
                List<float[]> out = enc.embed(sentences);
                for (int i = 0; i < sentences.size(); i++) {
                    for (int d = 0; d < ToyModel.HIDDEN; d++) {
                        sum[i][d] += out.get(i)[d];
                    }
                }
            }
        }
        List<float[]> expected = new ArrayList<>();
        for (double[] s : sum) {
            float[] v = new float[s.length];
            for (int d = 0; d < s.length; d++) {
                v[d] = (float) (s[d] / 8);
            }
            expected.add(v);
        }
        model.clearCalls();
        try (TokenPrependingEncoder enc = encoder(base().prompt(PromptMethod.METAEOL).maxTokens(1000))) {
            assertClose(enc.embed(sentences), expected, "MetaEOL");
        }
        assertThat(model.calls().stream().filter("start"::equals).count()).as("one batch per prompt").isEqualTo(8);

        // and one template by hand: prompt 0 is the official string with the sentence in its slot
        String t0 = templates.get(0).text();
        int pst = t0.indexOf("<PST>");
        RenderedPrompt p0 = RenderedPrompt.withPlaceholder(t0.substring(0, pst),
                t0.substring(pst + 5).replace("*sent 0*", "Dogs run."));
        PromptSet first = new PromptSet("one", List.of(templates.get(0)), SentencePreprocessor.paper());
        try (TokenPrependingEncoder enc = encoder(base().prompts(first).maxTokens(1000))) {
            assertClose(enc.embed("Dogs run"), reference(p0, new TpRange(1, 3), LAYERS), "MetaEOL prompt 0");
        }
    }

    @Test
    void normalizeGivesUnitVectorsInTheSameDirection() {
        try (TokenPrependingEncoder raw = encoder(base());
                TokenPrependingEncoder unit = encoder(base().normalize(true))) {
            List<float[]> r = raw.embed(Arrays.asList(SENTENCES));
            List<float[]> u = unit.embed(Arrays.asList(SENTENCES));
            for (int i = 0; i < SENTENCES.length; i++) {
                double norm = 0;
                double rawNorm = 0;
                for (int d = 0; d < ToyModel.HIDDEN; d++) {
                    norm += (double) u.get(i)[d] * u.get(i)[d];
                    rawNorm += (double) r.get(i)[d] * r.get(i)[d];
                }
                assertThat(Math.sqrt(norm)).as("sentence %d", i).isCloseTo(1.0, within(1e-6));
                assertThat(rawNorm).as("raw embeddings are not unit vectors").isNotCloseTo(1.0, within(1e-3));
                for (int d = 0; d < ToyModel.HIDDEN; d++) {
                    assertThat((double) u.get(i)[d]).isCloseTo(r.get(i)[d] / Math.sqrt(rawNorm), within(1e-6));
                }
            }
        }
    }

    // ---------------------------------------------------------------- inputs

    @Test
    void anEmptyListGivesAnEmptyResultWithoutTouchingTheModel() {
        try (TokenPrependingEncoder enc = encoder(base())) {
            assertThat(enc.embed(List.of())).isEmpty();
        }
        assertThat(model.calls()).isEmpty();
    }

    @Test
    void nullsAreRejectedNamingTheIndexBeforeAnyModelCall() {
        try (TokenPrependingEncoder enc = encoder(base())) {
            assertThatThrownBy(() -> enc.embed((List<String>) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> enc.embed(Arrays.asList("Dogs run", "x", null, "y")))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("sentence 2");
            assertThatThrownBy(() -> enc.embed((String) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> enc.tokenize(null)).isInstanceOf(NullPointerException.class);
        }
        assertThat(model.calls()).isEmpty();
    }

    @Test
    void emptyAndWhitespaceOnlySentencesAreEmbedded() {
        try (TokenPrependingEncoder enc = encoder(base())) {
            List<float[]> out = enc.embed(List.of("", "   ", "\u00A0\u3000\t\n"));
            float[] expected = reference(promptEol(""), new TpRange(1, 3), LAYERS);
            for (float[] e : out) {
                assertClose(e, expected, "empty prompt");
            }
            // <s> This sentence : <PST> "" means in one word:"
            assertThat(enc.tokenize(" ").get(0).ids()).containsExactly(1, wordId("This"), wordId("sentence"),
                    wordId(":"), 97, wordId("\"\""), wordId("means"), wordId("in"), wordId("one"), wordId("word:\""));
        }
    }

    @Test
    void aLiteralPlaceholderInTheSentenceIsOrdinaryText() {
        try (TokenPrependingEncoder enc = encoder(base())) {
            TokenizedPrompt p = enc.tokenize("a <PST> b").get(0);
            assertThat(p.placeholderIndex()).isEqualTo(4);
            assertThat(p.ids()).containsExactly(1, wordId("This"), wordId("sentence"), wordId(":"), 97,
                    wordId("\"a"), wordId("<PST>"), wordId("b.\""), wordId("means"), wordId("in"), wordId("one"),
                    wordId("word:\""));
        }
    }

    // ---------------------------------------------------------------- prefix cache

    @Test
    void thePrefixCacheGivesTheSameEmbeddingsAndOneCachePerTemplate() {
        for (PromptMethod method : PromptMethod.values()) {
            for (boolean vanilla : new boolean[] {false, true}) {
                TpConfig.Builder b = base().prompt(method).maxTokens(1000).batchSize(3);
                if (vanilla) {
                    b.vanilla();
                }
                List<float[]> off;
                try (TokenPrependingEncoder enc = encoder(b.prefixCache(false))) {
                    off = enc.embed(Arrays.asList(SENTENCES));
                }
                assertThat(model.calls()).doesNotContain("cachePrefix");
                model.clearCalls();
                try (TokenPrependingEncoder enc = encoder(b.prefixCache(true))) {
                    assertClose(enc.embed(Arrays.asList(SENTENCES)), off, method + " vanilla=" + vanilla);
                    assertClose(enc.embed(List.of(SENTENCES[3], SENTENCES[0])), List.of(off.get(3), off.get(0)),
                            method + " vanilla=" + vanilla + ", second call");
                    assertClose(enc.embed(List.of(SENTENCES[5])), List.of(off.get(5)),
                            method + " vanilla=" + vanilla + ", third call");
                }
                long caches = model.calls().stream().filter("cachePrefix"::equals).count();
                assertThat(caches).as("%s vanilla=%s: one cache per template", method, vanilla)
                        .isEqualTo(method.templates().size());
                model.clearCalls();
            }
        }
    }

    @Test
    void thePrefixCacheIsBuiltOnceEvenWhenTheFirstBatchIsASingleSentence() {
        try (TokenPrependingEncoder enc = encoder(base().prefixCache(true).batchSize(1))) {
            List<float[]> cached = enc.embed(Arrays.asList(SENTENCES));
            for (int i = 0; i < SENTENCES.length; i++) {
                assertClose(cached.get(i), reference(promptEol(PROCESSED[i]), new TpRange(1, 3), LAYERS),
                        "sentence " + i);
            }
        }
        assertThat(model.calls().stream().filter("cachePrefix"::equals).count()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- truncation

    @Test
    void aTooLongSentenceIsCutAndTheTemplateEndKept() {
        String longSentence = IntStream.range(0, 30).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        String otherLong = IntStream.range(0, 25).mapToObj(i -> "v" + i).collect(Collectors.joining(" "));
        // PromptEOL: <s> This sentence : <PST> + n sentence words + means in one word:" = 9 + n tokens
        int maxTokens = 20;
        String kept = IntStream.range(0, 11).mapToObj(i -> "w" + i).collect(Collectors.joining(" ")) + ".";
        String log;
        List<float[]> out;
        List<TokenizedPrompt> prompts;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (TokenPrependingEncoder enc = encoder(base().maxTokens(maxTokens))) {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                prompts = enc.tokenize(longSentence);
                out = enc.embed(List.of(longSentence, "Dogs run", otherLong));
                enc.embed(List.of(otherLong));
            } finally {
                System.setErr(err);
            }
            log = captured.toString(StandardCharsets.UTF_8);
        }
        TokenizedPrompt p = prompts.get(0);
        assertThat(p.length()).isEqualTo(maxTokens);
        assertThat(p.placeholderIndex()).isEqualTo(4);
        assertThat(Arrays.copyOfRange(p.ids(), p.length() - 4, p.length()))
                .as("the template's closing words survive")
                .containsExactly(wordId("means"), wordId("in"), wordId("one"), wordId("word:\""));
        assertThat(p.ids()[p.length() - 5]).as("the kept sentence ends with its full stop and quote")
                .isEqualTo(wordId("w10.\""));
        assertThat(p.ids()).isEqualTo(referenceModel.tokenizer().encode(promptEol(kept)).ids());
        assertClose(out.get(0), reference(promptEol(kept), new TpRange(1, 3), LAYERS), "truncated sentence");
        assertClose(out.get(1), reference(promptEol("Dogs run."), new TpRange(1, 3), LAYERS), "short sentence");

        assertThat(log.split("more than the limit of " + maxTokens, -1)).as("warned exactly once: %s", log)
                .hasSize(2);
        assertThat(log).contains("WARN");
    }

    @Test
    void randomLongSentencesKeepTheLongestHeadOfWholeWordsThatFits() {
        java.util.Random rnd = new java.util.Random(11);
        for (int trial = 0; trial < 60; trial++) {
            int words = 1 + rnd.nextInt(40);
            List<String> list = new ArrayList<>();
            for (int w = 0; w < words; w++) {
                StringBuilder b = new StringBuilder();
                int len = 1 + rnd.nextInt(7);
                for (int c = 0; c < len; c++) {
                    b.append((char) ('a' + rnd.nextInt(26)));
                }
                list.add(b.toString());
            }
            String sentence = String.join(rnd.nextBoolean() ? " " : "  ", list);
            int maxTokens = 10 + rnd.nextInt(30);
            // 9 + max(1, n) tokens for n sentence words: keep the first min(words, maxTokens - 9) words
            int keep = Math.min(words, maxTokens - 9);
            String kept = String.join(" ", list.subList(0, keep)) + ".";
            try (TokenPrependingEncoder enc = encoder(base().maxTokens(maxTokens))) {
                TokenizedPrompt p = enc.tokenize(sentence).get(0);
                assertThat(p.length()).as("trial %d", trial).isLessThanOrEqualTo(maxTokens);
                assertThat(p.ids()).as("trial %d: %s cut to %d tokens", trial, sentence, maxTokens)
                        .isEqualTo(referenceModel.tokenizer().encode(promptEol(kept)).ids());
            }
        }
    }

    @Test
    void aPromptExactlyAtTheLimitIsNotCut() {
        String ten = IntStream.range(0, 11).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        try (TokenPrependingEncoder enc = encoder(base().maxTokens(20))) {
            TokenizedPrompt p = enc.tokenize(ten).get(0);
            assertThat(p.ids()).isEqualTo(referenceModel.tokenizer().encode(promptEol(ten + ".")).ids());
        }
    }

    @Test
    void theModelsPositionLimitIsTheDefault() {
        // the toy's max_position_embeddings is 64
        String hundred = IntStream.range(0, 100).mapToObj(i -> "w" + i).collect(Collectors.joining(" "));
        try (TokenPrependingEncoder enc = encoder(base())) {
            assertThat(enc.tokenize(hundred).get(0).length()).isEqualTo(64);
        }
    }

    @Test
    void aTemplateLongerThanTheLimitIsAClearError() {
        // the PromptEOL template around an empty sentence takes 10 toy tokens
        try (TokenPrependingEncoder enc = encoder(base().maxTokens(5))) {
            assertThatThrownBy(() -> enc.embed("Dogs run")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sentence 0")
                    .hasMessageContaining("template alone takes 10 tokens")
                    .hasMessageContaining("limit of 5");
            assertThatThrownBy(() -> enc.embed(List.of("a", "b", ""))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("template alone");
        }
        assertThat(model.calls()).isEmpty();
    }

    // ---------------------------------------------------------------- closing

    @Test
    void embeddingAfterCloseFailsAndClosingTwiceIsHarmless() {
        TokenPrependingEncoder enc = encoder(base().prefixCache(true));
        enc.embed("Dogs run");
        enc.close();
        enc.close();
        assertThatThrownBy(() -> enc.embed("Dogs run")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> enc.embed(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingDuringACallFailsItsNextBatch() {
        TokenPrependingEncoder enc = encoder(base().batchSize(1));
        List<Long> progress = new ArrayList<>();
        assertThatThrownBy(() -> enc.embed(List.of("a", "b", "c"), (done, total) -> {
            progress.add(done);
            enc.close();
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(progress).containsExactly(1L);
    }

    // ---------------------------------------------------------------- threads

    @Test
    void concurrentCallsReturnExactlyWhatSerialCallsReturn() throws Exception {
        List<List<String>> inputs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            List<String> list = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                list.add(SENTENCES[(t * 3 + k) % SENTENCES.length] + (k % 4 == 0 ? "" : " thread " + t + " item " + k));
            }
            inputs.add(list);
        }
        for (boolean cache : new boolean[] {false, true}) {
            List<List<float[]>> serial = new ArrayList<>();
            try (TokenPrependingEncoder enc = encoder(base().prefixCache(cache).batchSize(5))) {
                for (List<String> in : inputs) {
                    serial.add(enc.embed(in));
                }
            }
            try (TokenPrependingEncoder enc = encoder(base().prefixCache(cache).batchSize(5))) {
                ExecutorService pool = Executors.newFixedThreadPool(8);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<List<List<float[]>>>> futures = new ArrayList<>();
                    for (int t = 0; t < 8; t++) {
                        int thread = t;
                        futures.add(pool.submit(() -> {
                            go.await();
                            List<List<float[]>> mine = new ArrayList<>();
                            for (int round = 0; round < 3; round++) {
                                mine.add(enc.embed(inputs.get(thread)));
                            }
                            return mine;
                        }));
                    }
                    go.countDown();
                    for (int t = 0; t < 8; t++) {
                        for (List<float[]> got : futures.get(t).get(60, TimeUnit.SECONDS)) {
                            assertThat(got).hasSameSizeAs(serial.get(t));
                            for (int i = 0; i < got.size(); i++) {
                                assertThat(got.get(i)).as("cache=%s thread %d sentence %d", cache, t, i)
                                        .isEqualTo(serial.get(t).get(i));
                            }
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
                assertThat(enc.stats().prompts()).isEqualTo(8L * 3 * 12);
            }
        }
    }

    // ---------------------------------------------------------------- stats and progress

    @Test
    void statsCountPromptsBatchesAndTokens() {
        // toy PromptEOL lengths: 9 + number of sentence words (at least 1): "a b c" 12, "a" 10, "a b c d e" 14
        List<String> sentences = List.of("a b c", "a", "a b c d e");
        try (TokenPrependingEncoder enc = encoder(base().batchSize(2))) {
            assertThat(enc.stats()).isEqualTo(new EncodingStats(0, 0, 0, 0, 0));
            enc.embed(sentences);
            // batches: [14, 12] padded to 2 * 14 = 28, then [10]
            EncodingStats s = enc.stats();
            assertThat(s).isEqualTo(new EncodingStats(3, 2, 36, 36, 38));
            assertThat(s.paddingFraction()).isCloseTo(2.0 / 38, within(1e-12));
            enc.embed(sentences);
            assertThat(enc.stats()).isEqualTo(new EncodingStats(6, 4, 72, 72, 76));
            enc.resetStats();
            assertThat(enc.stats()).isEqualTo(new EncodingStats(0, 0, 0, 0, 0));
        }
        try (TokenPrependingEncoder enc = encoder(base().batchSize(2).prefixCache(true))) {
            enc.embed(sentences);
            // the 4 tokens before <PST> (<s> This sentence :) come from the cache
            assertThat(enc.stats()).isEqualTo(new EncodingStats(3, 2, 36, 36 - 4 * 3, 2 * (14 - 4) + (10 - 4)));
        }
        try (TokenPrependingEncoder enc = encoder(base().prompt(PromptMethod.METAEOL).maxTokens(1000))) {
            enc.embed(sentences);
            assertThat(enc.stats().prompts()).isEqualTo(24);
            assertThat(enc.stats().batches()).isEqualTo(8);
        }
    }

    @Test
    void progressIsReportedAfterEveryBatch() {
        List<long[]> events = new ArrayList<>();
        try (TokenPrependingEncoder enc = encoder(base().batchSize(2))) {
            enc.embed(List.of("a b c", "a", "a b c d e"), (done, total) -> events.add(new long[] {done, total}));
        }
        assertThat(events).containsExactly(new long[] {2, 3}, new long[] {3, 3});
        events.clear();
        try (TokenPrependingEncoder enc = encoder(base().prompt(PromptMethod.METAEOL).maxTokens(1000).batchSize(8))) {
            enc.embed(List.of("a", "b"), (done, total) -> events.add(new long[] {done, total}));
        }
        assertThat(events).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(events.get(i)).containsExactly(2L * (i + 1), 16L);
        }
    }

    @Test
    void accessorsDescribeTheEncoder() {
        TpConfig config = base().outputLayer(-2).build();
        try (TokenPrependingEncoder enc = new TokenPrependingEncoder(model, config)) {
            assertThat(enc.config()).isSameAs(config);
            assertThat(enc.model()).isSameAs(model);
            assertThat(enc.dimension()).isEqualTo(ToyModel.HIDDEN);
            assertThat(enc.layersRun()).isEqualTo(LAYERS - 1);
            assertThat(enc.embed("Dogs run")).hasSize(ToyModel.HIDDEN);
        }
        assertThatThrownBy(() -> new TokenPrependingEncoder(null, config)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new TokenPrependingEncoder(model, null)).isInstanceOf(NullPointerException.class);
    }
}
