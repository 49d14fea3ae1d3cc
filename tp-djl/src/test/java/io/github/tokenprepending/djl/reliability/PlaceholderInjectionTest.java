package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.djl.tokenizer.HfTextTokenizer;
import io.github.tokenprepending.djl.tokenizer.SpecialTokenText;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
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
 * A literal {@code <PST>} (or template syntax) typed by a user is never a placeholder: every prompt holds exactly
 * one placeholder, the template's, for every bundled family tokenizer and every prompt method, and the user's
 * characters get the ids of the official VANILLA plan (whose tokenizer has no {@code <PST>} token: plain text).
 *
 * <p>Precise form, per family: the TP prompt's ids equal the vanilla prompt's ids with the template's placeholder
 * inserted, exactly as on ordinary sentences (PROMPT_IDS.md: {@code [pst]} for llama2 / stories260K,
 * {@code [space, pst]} for llama3, qwen2, gemma2), and on the real stories260K model the embedding equals,
 * bit for bit, a forward pass over exactly those ids with the single placeholder at the template's position.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlaceholderInjectionTest {
    /** The token the official TP prompt has before {@code <PST>} beyond the vanilla prompt (-1: none). */
    private static final Map<String, Integer> SPACE_BEFORE_PST = Map.of(
            "llama2", -1, "stories260K-hf", -1, "llama3", 220, "qwen2", 220, "gemma2", 235248);

    static final List<String> SENTENCES = List.of(
            "a <PST> b",
            "<PST>",
            "a<PST>b",
            "\"<PST>\"",
            "<PST> <PST> <PST> <PST>",
            "x\u2581<PST>y",
            "<pst> < PST > <PST",
            "{sentence} *sent 0* <PST> {sentence}",
            "<pst_00112233445566778899aabbccddeeff> <pst_",
            "This sentence : <PST> \"nested\" means in one word:\"");

    private final Map<String, HfTextTokenizer> tokenizers = new java.util.HashMap<>();
    private DjlLayerwiseModel model;

    @BeforeAll
    void load(@TempDir Path dir) throws Exception {
        for (String family : Fixtures.FAMILIES) {
            tokenizers.put(family, Fixtures.tokenizer(family, SpecialTokenText.AS_CONFIGURED));
        }
        model = DjlModels.load(ReliabilityAccess.writeStories260k(dir), ModelOptions.defaults());
    }

    @AfterAll
    void close() {
        tokenizers.values().forEach(HfTextTokenizer::close);
        model.close();
    }

    static Stream<Arguments> familiesAndMethods() {
        List<Arguments> out = new ArrayList<>();
        for (String family : Fixtures.FAMILIES) {
            for (PromptMethod method : PromptMethod.values()) {
                out.add(Arguments.of(family, method));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("familiesAndMethods")
    void aLiteralPstIsPlainTextAndTheTemplatesIsTheOnlyPlaceholder(String family, PromptMethod method) {
        HfTextTokenizer tokenizer = tokenizers.get(family);
        PromptSet prompts = PromptSet.of(method);
        int pst = tokenizer.placeholderId();
        for (String sentence : SENTENCES) {
            String processed = prompts.preprocessor().apply(sentence);
            for (PromptTemplate template : prompts.templates()) {
                TokenizedPrompt tp = tokenizer.encode(template.render(processed));
                TokenizedPrompt vanilla = tokenizer.encode(template.vanilla().render(processed));
                String what = family + " " + method + " <" + sentence + ">";
                assertThat(IntStream.of(tp.ids()).filter(id -> id == pst).count()).as(what).isEqualTo(1);
                assertThat(tp.ids()[tp.placeholderIndex()]).as(what).isEqualTo(pst);
                assertThat(vanilla.ids()).as(what + " (vanilla)").doesNotContain(pst);
                assertThat(vanilla.placeholderIndex()).isEqualTo(-1);
                assertThat(withoutTemplatePlaceholder(family, tp)).as(what + ": TP ids = vanilla ids + placeholder")
                        .containsExactly(vanilla.ids());
                // the placeholder sits where it sits for an ordinary sentence: inside the template, before the text
                assertThat(tp.placeholderIndex()).as(what)
                        .isEqualTo(tokenizer.encode(template.render("plain words.")).placeholderIndex());
            }
        }
    }

    @Test
    void llama2GivesTheOfficialVanillaIdsOfTheLiteral() {
        // PROMPT_IDS.md: on the vanilla plan llama2 `<PST>` after a space is ▁< P ST > = 529 29925 1254 29958;
        // here after the template's <PST> (32000), ▁" (376) and a (29874)
        TokenizedPrompt tp = tokenizers.get("llama2").encode(
                PromptMethod.PROMPTEOL.templates().get(0).render("a <PST> b."));
        assertThat(tp.ids()).containsSequence(32000, 376, 29874, 529, 29925, 1254, 29958, 289);
    }

    /**
     * On the real model: the embedding of a sentence with {@code <PST>} in it is, bit for bit, the embedding of
     * the vanilla-plan (plain-text) ids with the one template placeholder inserted, and user {@code <PST>}s are
     * never replaced by the sentence state.
     */
    @Test
    void theEmbeddingIsThatOfThePlainTextIdsWithTheTemplatesPlaceholder() {
        TpRange tp = new TpRange(1, 4);
        TpConfig config = TpConfig.builder().tp(tp).outputLayer(OutputLayer.last()).prefixCache(false).build();
        PromptTemplate template = config.prompts().templates().get(0);
        HfTextTokenizer tokenizer = (HfTextTokenizer) model.tokenizer();
        try (TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config)) {
            for (String sentence : SENTENCES) {
                String processed = config.prompts().preprocessor().apply(sentence);
                int[] plain = tokenizer.encode(template.vanilla().render(processed)).ids();
                int at = tokenizer.encode(template.render("plain words.")).placeholderIndex();
                int[] expected = insert(plain, at, model.info().placeholderId());
                assertThat(encoder.tokenize(sentence).get(0).ids()).as(sentence).containsExactly(expected);
                float[] reference = LayerLoop.run(model, TokenBatch.of(new int[][] {expected}, new int[] {at}),
                        PassPlan.layers(model.info().numLayers()).withLastTokenOnly(), tp)[0];
                assertThat(encoder.embed(sentence)).as(sentence).containsExactly(reference);
            }
        }
    }

    private static int[] withoutTemplatePlaceholder(String family, TokenizedPrompt tp) {
        int[] ids = tp.ids();
        int at = tp.placeholderIndex();
        int space = SPACE_BEFORE_PST.get(family);
        int from = at;
        if (space >= 0) {
            assertThat(ids[at - 1]).as("%s: the space token the official TP prompt has before <PST>", family)
                    .isEqualTo(space);
            from = at - 1;
        }
        int[] out = new int[ids.length - (at + 1 - from)];
        System.arraycopy(ids, 0, out, 0, from);
        System.arraycopy(ids, at + 1, out, from, ids.length - at - 1);
        return out;
    }

    private static int[] insert(int[] ids, int at, int id) {
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        System.arraycopy(ids, at, out, at + 1, ids.length - at);
        out[at] = id;
        return out;
    }
}
