package io.github.tokenprepending.djl.reliability;

import static io.github.tokenprepending.djl.reliability.Fixtures.assertFinite;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.DjlModelProvider;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.djl.tokenizer.HfTextTokenizer;
import io.github.tokenprepending.djl.tokenizer.SpecialTokenText;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.LayerwiseModelProvider;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A family's special-token text typed by a user ({@code <s>}, {@code </s>}, {@code <unk>}, {@code <bos>},
 * {@code <|endoftext|>}, {@code <|begin_of_text|>}). Default, as the official code: matched as the special
 * token (a user can put a BOS or EOS id in the middle of the prompt). {@link SpecialTokenText#SPLIT} tokenizes
 * the text as plain text; {@code SentenceEncoder.Builder} and {@code ModelOptions} have no switch for it: it is
 * reached through {@code "split_special_tokens": true} in the model's {@code tokenizer_config.json} (as in
 * transformers), or by loading the model with {@code HfTextTokenizer.load(dir, SPLIT)} in a custom provider.
 */
class SpecialTokensInUserTextTest {
    private static final PromptTemplate PROMPTEOL = PromptMethod.PROMPTEOL.templates().get(0);
    private static final String TYPED = "a <s> b </s> c <unk> d";

    /** Official ids (PROMPT_IDS.md) of special-token text inside a sentence, with the default handling. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "llama2;a <s> b;1",
        "llama2;a </s> b;2",
        "llama2;a <unk> b;0",
        "stories260K-hf;a <s> b;1",
        "stories260K-hf;a </s> b;2",
        "stories260K-hf;a <unk> b;0",
        "llama3;a <|begin_of_text|> b;128000",
        "llama3;a <|eot_id|> b;128009",
        "qwen2;a <|endoftext|> b;151643",
        "qwen2;a <|im_start|> b;151644",
        "gemma2;a <bos> b;2",
        "gemma2;a <eos> b;1",
        "gemma2;a <s> b;204",
    })
    void byDefaultSpecialTokenTextBecomesTheSpecialTokenAfterThePlaceholder(String family, String text, int id) {
        try (HfTextTokenizer tokenizer = Fixtures.tokenizer(family, SpecialTokenText.AS_CONFIGURED)) {
            TokenizedPrompt p = tokenizer.encode(PROMPTEOL.render(text + "."));
            int[] afterPlaceholder = Arrays.copyOfRange(p.ids(), p.placeholderIndex() + 1, p.length());
            assertThat(afterPlaceholder).as("%s %s", family, text).contains(id);
            assertThat(IntStream.of(p.ids()).filter(i -> i == tokenizer.placeholderId()).count()).isEqualTo(1);
        }
    }

    @Test
    void byDefaultTheRealModelSeesBosEosAndUnkIdsAndEmbedsThem(@TempDir Path dir) {
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(ReliabilityAccess.writeStories260k(dir))
                .provider(new DjlModelProvider()).build()) {
            TokenizedPrompt p = encoder.tokenize(TYPED).get(0);
            int[] user = Arrays.copyOfRange(p.ids(), p.placeholderIndex() + 1, p.length());
            assertThat(user).contains(1, 2, 0);
            float[] alone = encoder.embed(TYPED);
            assertFinite(alone, TYPED);
            // id 0 (<unk>) is also the pad id: in a padded batch it must still be attended (mask from lengths)
            List<float[]> batch = encoder.embed(List.of("a much longer sentence that forces the other row to be"
                    + " padded on the left by many pad tokens", TYPED));
            assertThat(Fixtures.maxDiff(batch.get(1), alone)).isLessThanOrEqualTo(1e-5);
        }
    }

    @Test
    void splitSpecialTokensInTokenizerConfigMakesThemPlainTextThroughSentenceEncoder(@TempDir Path dir)
            throws IOException {
        Path model = ReliabilityAccess.writeStories260k(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode config = (ObjectNode) json.readTree(model.resolve("tokenizer_config.json").toFile());
        config.put("split_special_tokens", true);
        Files.write(model.resolve("tokenizer_config.json"), json.writeValueAsBytes(config));
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(model).provider(new DjlModelProvider())
                .build()) {
            assertSplit(encoder, "tokenizer_config.json split_special_tokens");
        }
    }

    @Test
    void splitThroughACustomProvider(@TempDir Path dir) {
        Path model = ReliabilityAccess.writeStories260k(dir);
        LayerwiseModelProvider split = new LayerwiseModelProvider() {
            @Override
            public String name() {
                return "djl-split-special-tokens";
            }

            @Override
            public boolean supports(Path modelDir) {
                return new DjlModelProvider().supports(modelDir);
            }

            @Override
            public LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException {
                return DjlModels.load(modelDir, HfTextTokenizer.load(modelDir, SpecialTokenText.SPLIT), options);
            }
        };
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(model).provider(split).build()) {
            assertSplit(encoder, "SpecialTokenText.SPLIT");
        }
    }

    private static void assertSplit(SentenceEncoder encoder, String how) {
        TokenizedPrompt p = encoder.tokenize(TYPED).get(0);
        assertThat(p.ids()[0]).as("the template's BOS stays").isEqualTo(1);
        assertThat(Arrays.copyOfRange(p.ids(), 1, p.length())).as(how).doesNotContain(0, 1, 2);
        assertThat(p.tokens()).as(how).containsSubsequence("<", "s", ">");
        assertFinite(encoder.embed(TYPED), how);
    }
}
