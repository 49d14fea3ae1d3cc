package io.github.tokenprepending.djl.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Special-token text in prompts. By default (the official code) {@code <s>}, {@code <bos>},
 * {@code <|endoftext|>}, {@code <|begin_of_text|>} become the special tokens (pinned with the official ids in
 * {@link HfTextTokenizerTest#probeTextsGiveTheOfficialIds()}); {@link SpecialTokenText#SPLIT} tokenizes them
 * as text, like transformers' {@code split_special_tokens=True}: the same ids as a tokenizer whose special
 * tokens are not added tokens at all, while non-special added tokens and every id stay as they are.
 */
class HfTextTokenizerSpecialTokenTextTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final PromptTemplate PROMPTEOL = PromptMethod.PROMPTEOL.templates().get(0);

    @Test
    void llama2SplitsSAsText() throws IOException {
        String text = "a <s> b </s> <unk>";
        int[] split = encode("llama2", SpecialTokenText.SPLIT, text);
        assertThat(split).containsExactly(prepend(1, withoutSpecialAddedTokens("llama2", text)));
        assertThat(Arrays.stream(split).skip(1)).doesNotContain(0, 1, 2);
        assertThat(encode("llama2", SpecialTokenText.MATCHED, text)).containsSequence(1, 29871, 289);
    }

    @Test
    void llama3SplitsBeginOfTextAsText() throws IOException {
        String text = "a <|begin_of_text|> b <|eot_id|>";
        int[] split = encode("llama3", SpecialTokenText.SPLIT, text);
        assertThat(split).containsExactly(withoutSpecialAddedTokens("llama3", text));
        assertThat(Arrays.stream(split)).allMatch(id -> id < 128000);
        assertThat(encode("llama3", SpecialTokenText.MATCHED, text)).contains(128000, 128009);
    }

    @Test
    void qwen2SplitsEndOfTextButKeepsItsNonSpecialAddedTokensAndIds() {
        try (HfTextTokenizer tokenizer = BundledTokenizers.create("qwen2", "as_loaded", SpecialTokenText.SPLIT)) {
            int[] ids = tokenizer.encode(RenderedPrompt.plain("a <|endoftext|> b <|im_start|> <tool_call>")).ids();
            assertThat(ids).doesNotContain(151643, 151644).contains(151657);
            assertThat(tokenizer.placeholderId()).isEqualTo(151665);
            RenderedPrompt prompt = PROMPTEOL.render("a girl is styling her hair.");
            assertThat(tokenizer.encode(prompt).ids()).containsExactly(BundledTokenizers.shared("qwen2").encode(prompt).ids());
        }
    }

    @Test
    void gemma2SplitsBosButKeepsItsHtmlTokenS() {
        try (HfTextTokenizer tokenizer = BundledTokenizers.create("gemma2", "as_loaded", SpecialTokenText.SPLIT)) {
            int[] ids = tokenizer.encode(RenderedPrompt.plain("a <bos> b <s>")).ids();
            assertThat(ids[0]).isEqualTo(2);
            assertThat(Arrays.stream(ids).skip(1)).doesNotContain(2).contains(204);
            assertThat(tokenizer.placeholderId()).isEqualTo(256000);
        }
    }

    @Test
    void asConfiguredFollowsSplitSpecialTokensOfTheConfig() throws IOException {
        ObjectNode config = (ObjectNode) MAPPER.readTree(BundledTokenizers.resource("llama2/tokenizer_config.json"));
        config.put("split_special_tokens", true);
        byte[] json = BundledTokenizers.tokenizerJson("llama2");
        String text = "a <s> b";
        try (HfTextTokenizer configured = HfTextTokenizer.fromJson(json, MAPPER.writeValueAsBytes(config),
                SpecialTokenText.AS_CONFIGURED);
                HfTextTokenizer matched = HfTextTokenizer.fromJson(json, MAPPER.writeValueAsBytes(config),
                        SpecialTokenText.MATCHED)) {
            assertThat(configured.encode(RenderedPrompt.plain(text)).ids())
                    .containsExactly(encode("llama2", SpecialTokenText.SPLIT, text));
            assertThat(matched.encode(RenderedPrompt.plain(text)).ids())
                    .containsExactly(BundledTokenizers.shared("llama2").encode(RenderedPrompt.plain(text)).ids());
        }
    }

    private static int[] encode(String family, SpecialTokenText mode, String text) {
        try (HfTextTokenizer tokenizer = BundledTokenizers.create(family, "as_loaded", mode)) {
            return tokenizer.encode(RenderedPrompt.plain(text)).ids();
        }
    }

    /** Reference: DJL on the family's tokenizer.json without its special added tokens, no special tokens added. */
    private static int[] withoutSpecialAddedTokens(String family, String text) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(BundledTokenizers.tokenizerJson(family));
        ArrayNode added = (ArrayNode) root.get("added_tokens");
        ArrayNode kept = root.putArray("added_tokens");
        added.forEach(token -> {
            if (!token.get("special").asBoolean()) {
                kept.add(token);
            }
        });
        try (HuggingFaceTokenizer djl = HuggingFaceTokenizer.newInstance(
                new ByteArrayInputStream(MAPPER.writeValueAsBytes(root)), Map.of("truncation", "false",
                        "padding", "false"))) {
            return Arrays.stream(djl.encode(text, false, false).getIds()).mapToInt(Math::toIntExact).toArray();
        }
    }

    private static int[] prepend(int first, int[] rest) {
        return IntStream.concat(IntStream.of(first), Arrays.stream(rest)).toArray();
    }
}
