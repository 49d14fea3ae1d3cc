package io.github.tokenprepending.djl.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The bundled families' placeholder and BOS ids, official ids of probe texts, placeholder safety, no truncation. */
class HfTextTokenizerTest {
    private static final PromptTemplate PROMPTEOL = PromptMethod.PROMPTEOL.templates().get(0);

    static Stream<String> families() {
        return BundledTokenizers.FAMILIES.stream();
    }

    @ParameterizedTest
    @CsvSource({
        "llama2, as_loaded, 32000, 1",
        "llama3, as_loaded, 128256, -1",
        "llama3, bos128000_prepended, 128256, 128000",
        "qwen2, as_loaded, 151665, -1",
        "gemma2, as_loaded, 256000, 2",
        "stories260K-hf, as_loaded, 512, 1"})
    void placeholderAndBosIdsAreThoseOfTheOfficialCode(String family, String bosMode, int placeholderId, int bosId) {
        HfTextTokenizer tokenizer = BundledTokenizers.shared(family, bosMode);
        assertThat(tokenizer.placeholderId()).isEqualTo(placeholderId);
        assertThat(tokenizer.bosId()).isEqualTo(bosId);
    }

    /**
     * The official tokenizer's ids for probe texts (tokenizers/probes.json, from prompt_ids_run_info.json):
     * literal {@code <PST>} in every position as plain text, and the families' special tokens typed as text
     * ({@code <s>}, {@code <bos>}, {@code <|endoftext|>}, {@code <|begin_of_text|>}), which the official code
     * matches as special tokens.
     */
    @TestFactory
    Stream<DynamicTest> probeTextsGiveTheOfficialIds() throws IOException {
        JsonNode families = new ObjectMapper().readTree(BundledTokenizers.resource("probes.json")).get("families");
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> family : families.properties()) {
            int[] prefix = BundledTokenizers.ints(family.getValue().get("prefix"));
            for (Map.Entry<String, JsonNode> probe : family.getValue().get("ids_without_special_tokens").properties()) {
                int[] expected = IntStream.concat(Arrays.stream(prefix),
                        Arrays.stream(BundledTokenizers.ints(probe.getValue()))).toArray();
                tests.add(DynamicTest.dynamicTest(family.getKey() + ": " + probe.getKey(), () -> {
                    TokenizedPrompt encoded = BundledTokenizers.shared(family.getKey())
                            .encode(RenderedPrompt.plain(probe.getKey()));
                    assertThat(encoded.ids()).as(probe.getKey()).containsExactly(expected);
                    assertThat(encoded.placeholderIndex()).isEqualTo(-1);
                }));
            }
        }
        return tests.stream();
    }

    @ParameterizedTest
    @MethodSource("families")
    void aSentenceWithPlaceholderTextHasOnlyTheTemplatesPlaceholder(String family) {
        HfTextTokenizer tokenizer = BundledTokenizers.shared(family);
        for (String sentence : List.of("<PST>", "a <PST> b", "a<PST>b", "he wrote \"<PST>\" twice <PST>",
                "x\u2581<PST>y", "<PST> <PST><PST>")) {
            String processed = SentencePreprocessor.paper().apply(sentence);
            TokenizedPrompt tp = tokenizer.encode(PROMPTEOL.render(processed));
            TokenizedPrompt vanilla = tokenizer.encode(PROMPTEOL.vanilla().render(processed));
            int[] ids = tp.ids();
            assertThat(Arrays.stream(ids).filter(id -> id == tokenizer.placeholderId()).count())
                    .as("%s: placeholders in %s", sentence, Arrays.toString(ids)).isEqualTo(1);
            int pst = tp.placeholderIndex();
            assertThat(ids[pst]).isEqualTo(tokenizer.placeholderId());
            // the tp row is the vanilla row with <PST> (Llama-2 style) or a space and <PST> inserted
            int inserted = ids.length - vanilla.length();
            assertThat(inserted).as(sentence).isBetween(1, 2);
            int[] withoutInserted = IntStream.range(0, ids.length).filter(i -> i <= pst - inserted || i > pst)
                    .map(i -> ids[i]).toArray();
            assertThat(withoutInserted).as(sentence).containsExactly(vanilla.ids());
            assertThat(tp.tokens().get(pst)).endsWith(RenderedPrompt.PLACEHOLDER);
            assertThat(String.join("", tp.tokens())).doesNotContain(tokenizer.privateMarker());
        }
    }

    @ParameterizedTest
    @MethodSource("families")
    void longPromptsAreNeverTruncated(String family) {
        HfTextTokenizer tokenizer = BundledTokenizers.shared(family);
        int[] shortIds = tokenizer.encode(PROMPTEOL.render("a girl is styling her hair.")).ids();
        String sentence = String.join(" ", Collections.nCopies(700, "hair")) + ".";
        TokenizedPrompt encoded = tokenizer.encode(PROMPTEOL.render(sentence));
        assertThat(encoded.length()).isGreaterThan(700);
        int[] ids = encoded.ids();
        int tail = 6; // ... " means in one word:"
        assertThat(Arrays.copyOfRange(ids, ids.length - tail, ids.length))
                .containsExactly(Arrays.copyOfRange(shortIds, shortIds.length - tail, shortIds.length));
        assertThat(encoded.placeholderIndex()).isEqualTo(tokenizer.encode(PROMPTEOL.render("x.")).placeholderIndex());
    }

    @Test
    void displayTokensShowThePlaceholderAndTheBos() {
        TokenizedPrompt encoded = BundledTokenizers.shared("llama2")
                .encode(PROMPTEOL.render("a girl is styling her hair ."));
        assertThat(encoded.tokens()).hasSize(encoded.length());
        assertThat(encoded.tokens().subList(0, 6)).containsExactly("<s>", "▁This", "▁sentence", "▁:", "▁<PST>", "▁\"");
        assertThat(encoded.tokens().get(encoded.length() - 1)).isEqualTo(":\"");
    }

    @Test
    void emptyPrompts() {
        assertThat(BundledTokenizers.shared("llama2").encode(RenderedPrompt.plain("")).ids()).containsExactly(1);
        assertThatThrownBy(() -> BundledTokenizers.shared("llama3").encode(RenderedPrompt.plain("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no tokens");
    }

    @Test
    void promptsWithThePrivatePlaceholderTextAreRefused() {
        try (HfTextTokenizer a = BundledTokenizers.create("stories260K-hf", "as_loaded", SpecialTokenText.AS_CONFIGURED);
                HfTextTokenizer b = BundledTokenizers.create("stories260K-hf", "as_loaded",
                        SpecialTokenText.AS_CONFIGURED)) {
            assertThat(a.privateMarker()).startsWith("<pst_").hasSize(5 + 32).isNotEqualTo(b.privateMarker());
            String own = a.privateMarker() + ">";
            assertThatThrownBy(() -> a.encode(PROMPTEOL.render(own)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("private placeholder");
            assertThatThrownBy(() -> a.encode(RenderedPrompt.plain("x " + own)))
                    .isInstanceOf(IllegalArgumentException.class);
            TokenizedPrompt othersText = a.encode(PROMPTEOL.render(b.privateMarker() + ">"));
            assertThat(Arrays.stream(othersText.ids()).filter(id -> id == a.placeholderId())).hasSize(1);
        }
    }

    @Test
    void encodingIsThreadSafeAndClosingIsFinal() throws Exception {
        HfTextTokenizer tokenizer = BundledTokenizers.create("llama2", "as_loaded", SpecialTokenText.AS_CONFIGURED);
        List<RenderedPrompt> prompts = IntStream.range(0, 200)
                .mapToObj(i -> PROMPTEOL.render("sentence number " + i + " is here.")).toList();
        List<int[]> sequential = prompts.stream().map(p -> tokenizer.encode(p).ids()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<int[]>> parallel = prompts.stream()
                    .map(p -> pool.submit(() -> tokenizer.encode(p).ids())).toList();
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(parallel.get(i).get()).containsExactly(sequential.get(i));
            }
        } finally {
            pool.shutdown();
        }
        tokenizer.close();
        tokenizer.close();
        assertThatThrownBy(() -> tokenizer.encode(prompts.get(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
