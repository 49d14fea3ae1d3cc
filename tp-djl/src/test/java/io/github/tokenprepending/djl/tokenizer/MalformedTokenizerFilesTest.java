package io.github.tokenprepending.djl.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.prompt.RenderedPrompt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Broken or unsupported tokenizer files fail with exceptions that name the file and the problem. */
class MalformedTokenizerFilesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] CONFIG = BundledTokenizers.resource("stories260K-hf/tokenizer_config.json");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                                            | is empty",
        "{\"model\": {\"vocab\": {}}                  | is not valid JSON",
        "[1, 2]                                      | must hold a JSON object",
        "{}                                          | has no \"model\" object",
        "{\"model\": {\"type\": \"BPE\"}}            | has no \"model.vocab\"",
        "{\"model\": {\"vocab\": 3}}                 | \"model.vocab\" must be an object or an array",
        "{\"model\": {\"vocab\": {\"a\": \"x\"}}}    | model.vocab maps \"a\" to \"x\"",
        "{\"model\": {\"vocab\": [[\"a\", 0], 5]}}   | model.vocab[1] is not a [token, score] pair",
        "{\"model\": {\"vocab\": {}}, \"added_tokens\": {}} | \"added_tokens\" must be an array",
        "{\"model\": {\"vocab\": {}}, \"added_tokens\": [{\"content\": \"x\"}]} | added_tokens[0] needs",
        "{\"model\": {\"type\": \"Nonsense\", \"vocab\": {\"a\": 0}}} | is rejected by the tokenizers library"})
    void malformedTokenizerJson(String json, String problem) {
        byte[] bytes = (json == null ? "" : json).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HfTextTokenizer.fromJson(bytes, null, SpecialTokenText.AS_CONFIGURED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tokenizer.json")
                .hasMessageContaining(problem);
    }

    @Test
    void mergesThatTheNativeLibraryRejects() throws IOException {
        byte[] json = edit(BundledTokenizers.tokenizerJson("stories260K-hf"),
                root -> ((ObjectNode) root.get("model")).putArray("merges").add("zzz qqq"));
        assertThatThrownBy(() -> HfTextTokenizer.fromJson(json, CONFIG, SpecialTokenText.AS_CONFIGURED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tokenizer.json is rejected by the tokenizers library")
                .hasMessageContaining("zzz");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json                                        | tokenizer_config.json is not valid JSON",
        "\"text\"                                        | tokenizer_config.json must hold a JSON object",
        "{\"add_bos_token\": \"yes\"}                    | \"add_bos_token\" must be true or false",
        "{\"tokenizer_class\": 5}                        | \"tokenizer_class\" must be a string",
        "{\"tokenizer_class\": \"LlamaTokenizerFast\", \"bos_token\": \"<bos>\"} | bos_token \"<bos>\" is not a token of tokenizer.json",
        "{\"tokenizer_class\": \"LlamaTokenizer\", \"bos_token\": null}         | \"bos_token\" is null",
        "{\"tokenizer_class\": \"LlamaTokenizer\", \"bos_token\": {\"x\": 1}}   | must be a string or an object",
        "{\"tokenizer_class\": \"LlamaTokenizer\", \"add_eos_token\": true, \"eos_token\": \"<e>\"} | eos_token \"<e>\" is not a token",
        "{\"tokenizer_class\": \"LlamaTokenizer\", \"add_prefix_space\": true} | sets \"add_prefix_space\""})
    void malformedOrUnsupportedTokenizerConfigJson(String config, String problem) {
        byte[] json = BundledTokenizers.tokenizerJson("stories260K-hf");
        byte[] bytes = config.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HfTextTokenizer.fromJson(json, bytes, SpecialTokenText.AS_CONFIGURED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tokenizer_config.json")
                .hasMessageContaining(problem);
    }

    @Test
    void bosAndEosFromTheConfigOrItsClassDefaults() throws IOException {
        byte[] json = BundledTokenizers.tokenizerJson("stories260K-hf");
        String config = "{\"tokenizer_class\": \"LlamaTokenizerFast\", \"add_bos_token\": false, \"add_eos_token\": true,"
                + " \"eos_token\": {\"content\": \"</s>\", \"special\": true}}";
        try (HfTextTokenizer eosOnly = HfTextTokenizer.fromJson(new String(json, StandardCharsets.UTF_8), config)) {
            assertThat(eosOnly.bosId()).isEqualTo(-1);
            assertThat(eosOnly.encode(RenderedPrompt.plain("a")).ids()).containsExactly(261, 2);
            assertThat(eosOnly.encode(RenderedPrompt.plain("a")).tokens()).containsExactly("▁a", "</s>");
        }
        // a post-processor that adds nothing, replaced by the one LlamaTokenizerFast builds (class default <s>)
        byte[] noTemplate = edit(json, root -> root.putNull("post_processor"));
        try (HfTextTokenizer llama = HfTextTokenizer.fromJson(noTemplate,
                "{\"tokenizer_class\": \"LlamaTokenizer\"}".getBytes(StandardCharsets.UTF_8),
                SpecialTokenText.AS_CONFIGURED);
                HfTextTokenizer other = HfTextTokenizer.fromJson(noTemplate,
                        "{\"tokenizer_class\": \"PreTrainedTokenizerFast\"}".getBytes(StandardCharsets.UTF_8),
                        SpecialTokenText.AS_CONFIGURED)) {
            assertThat(llama.encode(RenderedPrompt.plain("a")).ids()).containsExactly(1, 261);
            assertThat(other.encode(RenderedPrompt.plain("a")).ids()).containsExactly(261);
            assertThat(other.bosId()).isEqualTo(-1);
        }
    }

    @Test
    void loadNamesTheMissingOrBrokenFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> HfTextTokenizer.load(dir))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("tokenizer.json");
        Path tokenizerJson = dir.resolve("tokenizer.json");
        Files.writeString(tokenizerJson, "{\"model\": {}}");
        assertThatThrownBy(() -> HfTextTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(tokenizerJson + " has no \"model.vocab\"");
        Files.write(tokenizerJson, BundledTokenizers.tokenizerJson("stories260K-hf"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"add_eos_token\": 1}");
        assertThatThrownBy(() -> HfTextTokenizer.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(dir.resolve("tokenizer_config.json").toString());
    }

    @Test
    void loadWorksWithAndWithoutTokenizerConfig(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("tokenizer.json"), BundledTokenizers.tokenizerJson("stories260K-hf"));
        RenderedPrompt prompt = RenderedPrompt.withPlaceholder("This sentence : ", " \"Lily ran.\" means in one word:\"");
        int[] expected = BundledTokenizers.shared("stories260K-hf").encode(prompt).ids();
        try (HfTextTokenizer withoutConfig = HfTextTokenizer.load(dir)) {
            assertThat(withoutConfig.encode(prompt).ids()).containsExactly(expected);
        }
        Files.write(dir.resolve("tokenizer_config.json"), CONFIG);
        try (HfTextTokenizer withConfig = HfTextTokenizer.load(dir, SpecialTokenText.MATCHED)) {
            assertThat(withConfig.encode(prompt).ids()).containsExactly(expected);
            assertThat(withConfig.placeholderId()).isEqualTo(512);
        }
    }

    private static byte[] edit(byte[] json, Consumer<ObjectNode> change) throws IOException {
        ObjectNode root = (ObjectNode) MAPPER.readTree(json);
        change.accept(root);
        return MAPPER.writeValueAsBytes(root);
    }
}
