package io.github.tokenprepending.djl.reliability;

import static io.github.tokenprepending.djl.reliability.Fixtures.assertFinite;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlModelProvider;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a search service may receive as text, through {@link SentenceEncoder} on the real stories260K model
 * (PromptEOL, the default preset for 5 layers): null, empty, whitespace, 100,000 characters, broken UTF-16,
 * control characters and other Unicode oddities, and token ids the checkpoint has no row for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputEdgeCasesTest {
    /** stories260K tokens of PromptEOL's closing {@code  means in one word:"} (the last one is pooled). */
    private static final String CLOSING = "▁means▁in▁one▁word:\"";

    private Path dir;
    private LayerwiseModel model;
    private SentenceEncoder encoder;

    @BeforeAll
    void load(@TempDir Path tmp) throws Exception {
        dir = ReliabilityAccess.writeStories260k(tmp);
        model = new DjlModelProvider().load(dir, ModelOptions.defaults());
        encoder = SentenceEncoder.builder().model(model).build();
    }

    @AfterAll
    void close() {
        encoder.close();
    }

    // ------------------------------------------------------------------ null and empty

    @Test
    void aNullListIsRefusedBeforeAnyWork() {
        long batches = encoder.stats().batches();
        assertThatThrownBy(() -> encoder.embed((List<String>) null))
                .isInstanceOf(NullPointerException.class).hasMessage("sentences");
        assertThatThrownBy(() -> encoder.embed((String) null))
                .isInstanceOf(NullPointerException.class).hasMessage("sentence");
        assertThat(encoder.stats().batches()).isEqualTo(batches);
    }

    @Test
    void aNullSentenceIsRefusedWithItsIndexBeforeAnyWork() {
        long batches = encoder.stats().batches();
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            sentences.add("sentence " + i);
        }
        sentences.set(57, null);
        assertThatThrownBy(() -> encoder.embed(sentences))
                .isInstanceOf(NullPointerException.class).hasMessage("sentence 57 is null");
        assertThat(encoder.stats().batches()).as("no batch ran").isEqualTo(batches);
    }

    @Test
    void anEmptyListGivesAnEmptyResult() {
        assertThat(encoder.embed(List.of())).isEmpty();
    }

    @Test
    void emptyAndWhitespaceOnlySentencesAreEmbeddedInTheTemplate() {
        List<String> blank = List.of("", " ", "\t\n\r ", "\u00a0\u2003\u3000", " ".repeat(10_000));
        TokenizedPrompt empty = encoder.tokenize("").get(0);
        assertPromptIsWhole(empty, "empty sentence");
        assertThat(empty.tokens()).as("the template around nothing").containsSubsequence("▁\"", "\"", "▁m");
        List<float[]> vectors = encoder.embed(blank);
        float[] alone = encoder.embed("");
        for (int i = 0; i < blank.size(); i++) {
            assertThat(encoder.tokenize(blank.get(i)).get(0).ids()).as("sentence %d: Python split() whitespace", i)
                    .containsExactly(empty.ids());
            assertThat(vectors.get(i)).hasSize(encoder.dimension());
            assertFinite(vectors.get(i), "blank sentence " + i);
            assertThat(Fixtures.maxDiff(vectors.get(i), alone)).isLessThanOrEqualTo(1e-5);
        }
    }

    // ------------------------------------------------------------------ long input

    @Test
    void aHundredThousandCharacterSentenceIsCutToTheBudgetAndTheTemplateKept() {
        String longText = words(new Random(7), 100_000);
        assertThat(longText).hasSize(100_000);
        String log;
        TokenizedPrompt cut;
        float[] embedded;
        List<float[]> twice;
        // a fresh encoder on the same model, so that its "logged once" flag is fresh
        try (TokenPrependingEncoder fresh = new TokenPrependingEncoder(model, encoder.config());
                Fixtures.LogCapture capture = new Fixtures.LogCapture()) {
            cut = fresh.tokenize(longText).get(0);
            embedded = fresh.embed(longText);
            twice = fresh.embed(List.of(longText, "short", longText + " more"));
            log = capture.text();
        }
        int budget = encoder.modelInfo().maxPositions();
        assertThat(budget).isEqualTo(512);
        assertThat(cut.length()).isBetween(budget - 3, budget);
        assertPromptIsWhole(cut, "truncated prompt");

        Matcher m = Pattern.compile("cut to its first (\\d+) characters").matcher(log);
        assertThat(m.find()).as("warning in the log: %s", log).isTrue();
        assertThat(log.split("more than the limit of " + budget, -1)).as("logged exactly once: %s", log).hasSize(2);
        assertThat(log).contains("WARN");
        int kept = Integer.parseInt(m.group(1));
        String head = longText.substring(0, kept);
        assertThat(encoder.tokenize(head).get(0).ids()).as("the ids are those of the kept head itself")
                .containsExactly(cut.ids());
        assertThat(untruncatedLength(longText.substring(0, kept + 1)))
                .as("one more character would not fit").isGreaterThan(budget);
        assertThat(untruncatedLength(longText)).isGreaterThan(20_000);
        assertThat(embedded).as("the embedding is that of the kept head, bit for bit")
                .containsExactly(encoder.embed(head));
        assertFinite(embedded, "long sentence");
        assertThat(twice.get(0)).hasSize(encoder.dimension());
        assertFinite(twice.get(2), "long sentence in a batch");
    }

    @Test
    void aSmallerTokenBudgetFromTheBuilderIsHonouredWithTheTemplateKept() {
        try (SentenceEncoder small = SentenceEncoder.builder().model(dir).provider(new DjlModelProvider())
                .maxTokens(64).build()) {
            String text = words(new Random(3), 5_000);
            TokenizedPrompt p = small.tokenize(text).get(0);
            assertThat(p.length()).isBetween(60, 64);
            assertPromptIsWhole(p, "64-token budget");
            assertFinite(small.embed(text), "64-token budget");
        }
    }

    // ------------------------------------------------------------------ Unicode

    static Stream<Arguments> unicode() {
        return Stream.of(
                Arguments.of("lone high surrogate", "a\uD800b"),
                Arguments.of("lone low surrogate", "a\uDC00b"),
                Arguments.of("reversed surrogate pair", "\uDC00\uD83D"),
                Arguments.of("pair cut at the end", "abc \uD83D"),
                Arguments.of("C0 controls, DEL, ANSI escapes", "\u0001\u0007\u0008\u001b[31mred\u001b[0m\u007f"),
                Arguments.of("C1 controls", "a\u0085b\u009bc"),
                Arguments.of("NUL", "x\u0000y\u0000"),
                Arguments.of("only NUL", "\u0000"),
                Arguments.of("Hebrew (RTL)", "שלום עולם"),
                Arguments.of("Arabic (RTL)", "مرحبا بالعالم"),
                Arguments.of("RTL override and isolates", "\u202Eabc\u202C \u2067x\u2069"),
                Arguments.of("emoji", "😀👍🏽🇫🇷"),
                Arguments.of("combining marks", "e\u0301\u0308\u0323 Z\u0351\u0352\u0353\u0354\u0355\u0356"),
                Arguments.of("zero-width joiner sequence", "👨\u200D👩\u200D👧\u200D👦"),
                Arguments.of("zero-width space and non-joiner", "a\u200Bb\u200Cc\u2060d"),
                Arguments.of("BOM", "\uFEFFhello"),
                Arguments.of("line and paragraph separators", "a\u2028b\u2029c"),
                Arguments.of("private use and noncharacters", "\uE000\uFFFF\uFFFE"),
                Arguments.of("replacement character", "\uFFFD"),
                Arguments.of("everything at once", "\uFEFF\u0000😀\uD800\u202E\u0301👨\u200D👩 \uDC00x\u0007"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unicode")
    void oddUnicodeIsEmbeddedNeverCrashing(String name, String text) {
        TokenizedPrompt p = encoder.tokenize(text).get(0);
        assertPromptIsWhole(p, name);
        float[] v = encoder.embed(text);
        assertThat(v).hasSize(encoder.dimension());
        assertFinite(v, name);
        List<float[]> batch = encoder.embed(List.of("a normal sentence.", text, text + text));
        batch.forEach(e -> assertFinite(e, name + " in a batch"));
    }

    /**
     * Rust strings cannot hold unpaired surrogates: each one becomes one U+FFFD on the way to the native
     * tokenizer, and nothing else of the text changes (before the fix, one lone surrogate made the JNI layer
     * decode the whole prompt lossily: every emoji became six U+FFFD, every NUL two).
     */
    @Test
    void eachLoneSurrogateBecomesOneReplacementCharacterAndTheRestIsKept() {
        String broken = "😀 \uD800 \u0000 \uDC00\uDC00 é";
        String replaced = "😀 \uFFFD \u0000 \uFFFD\uFFFD é";
        TokenizedPrompt p = encoder.tokenize(broken).get(0);
        assertThat(p.ids()).containsExactly(encoder.tokenize(replaced).get(0).ids());
        assertThat(p.tokens()).as("the emoji's and NUL's bytes survive")
                .containsSubsequence("<0xF0>", "<0x9F>", "<0x98>", "<0x80>")
                .contains("<0x00>");
        assertThat(encoder.embed(broken)).containsExactly(encoder.embed(replaced));
        assertThat(encoder.tokenize("\uD83D").get(0).ids()).containsExactly(encoder.tokenize("\uFFFD").get(0).ids());
    }

    // ------------------------------------------------------------------ ids outside the embedding

    @Test
    void tokenIdsOutsideTheEmbeddingAreRefusedByTheModel() {
        int rows = model.info().vocabSize();
        for (int bad : new int[] {rows, 100_000, Integer.MAX_VALUE, -1, Integer.MIN_VALUE}) {
            TokenBatch batch = TokenBatch.of(new int[][] {{1, 5, 6}, {1, 7, bad, 8}}, new int[] {-1, -1});
            assertThatThrownBy(() -> model.start(batch, PassPlan.layers(2)).close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("row 1, position 2: token id " + bad + " is outside the embedding's " + rows + " rows");
            assertThatThrownBy(() -> model.cachePrefix(new int[] {1, bad}, 2).close())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token id " + bad);
        }
        assertFinite(encoder.embed("still works"), "after refused ids");
    }

    /**
     * A tokenizer whose vocabulary is larger than the checkpoint's embedding (here: added tokens with ids 512
     * and 513 on the 513-row stories260K) is caught while tokenizing, where the sentence is known.
     */
    @Test
    void aTokenizerThatDoesNotMatchTheCheckpointFailsNamingTheSentence(@TempDir Path other) throws Exception {
        Path copy = ReliabilityAccess.writeStories260k(other);
        ObjectMapper json = new ObjectMapper();
        ObjectNode tokenizer = (ObjectNode) json.readTree(copy.resolve("tokenizer.json").toFile());
        // the vocabulary has ids 0..511; the checkpoint's row 512 is the <PST> row
        for (String word : new String[] {"zebra", "giraffe"}) {
            ArrayNode added = (ArrayNode) tokenizer.get("added_tokens");
            int id = 512 + added.size() - 3;
            added.addObject().put("id", id).put("content", word).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", false);
        }
        Files.write(copy.resolve("tokenizer.json"), json.writeValueAsBytes(tokenizer));
        try (DjlLayerwiseModel model = DjlModels.load(copy, ModelOptions.defaults());
                TokenPrependingEncoder enc = new TokenPrependingEncoder(model, encoder.config())) {
            assertThat(model.tokenizer().placeholderId()).isEqualTo(514);
            assertFinite(enc.embed("a zebra"), "in-vocabulary sentence");
            assertThatThrownBy(() -> enc.embed(List.of("a horse", "a zebra", "a giraffe", "a cow")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sentence 2: token id 513 at position ")
                    .hasMessageContaining("outside the model's 513 embedding rows");
        }
    }

    // ------------------------------------------------------------------ helpers

    private int untruncatedLength(String sentence) {
        var prompts = encoder.config().prompts();
        return model.tokenizer()
                .encode(prompts.templates().get(0).render(prompts.preprocessor().apply(sentence))).length();
    }

    /** One placeholder, the template's, and the prompt ends with the template's closing tokens. */
    private void assertPromptIsWhole(TokenizedPrompt p, String what) {
        int pst = encoder.modelInfo().placeholderId();
        int[] ids = p.ids();
        assertThat(Arrays.stream(ids).filter(id -> id == pst).count()).as("%s: placeholders", what).isEqualTo(1);
        assertThat(p.placeholderIndex()).as(what).isEqualTo(10);
        assertThat(ids[0]).as("%s: BOS", what).isEqualTo(1);
        List<String> tokens = p.tokens();
        assertThat(String.join("", tokens.subList(tokens.size() - 12, tokens.size())))
                .as("%s: the template's end survives", what).isEqualTo(CLOSING);
    }

    /** Random lower-case words separated by single spaces, exactly {@code length} characters long. */
    static String words(Random random, int length) {
        String[] vocabulary = {"once", "upon", "a", "time", "there", "was", "little", "girl", "named", "lily", "she",
            "liked", "to", "play", "with", "her", "big", "red", "ball", "in", "the", "park", "one", "day", "saw", "dog"};
        StringBuilder b = new StringBuilder(length + 16);
        while (b.length() < length) {
            b.append(vocabulary[random.nextInt(vocabulary.length)]).append(' ');
        }
        b.setLength(length);
        if (b.charAt(length - 1) == ' ') {
            b.setCharAt(length - 1, 'x');
        }
        return b.toString();
    }
}
