package io.github.tokenprepending.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;

/** The Spring AI adapter against the encoder it adapts (one encoder for the class). */
class TokenPrependingEmbeddingModelTest {
    private static final List<String> TEXTS = List.of("The girl played with her dog in the park.", "Tom ate a red apple.",
            "", "Once upon a time there was a little bird who liked to sing every morning in the old tree.");
    private static SentenceEncoder encoder;
    private static TokenPrependingEmbeddingModel model;

    @BeforeAll
    static void open() {
        encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).offline(true).threads(2).build()
                .open();
        model = new TokenPrependingEmbeddingModel(encoder);
    }

    @AfterAll
    static void close() {
        model.close();
        encoder.close();
    }

    @Test
    void aRequestIsOneEncoderCallWhoseResultsEqualTheEncodersInOrder() {
        List<float[]> expected = encoder.embed(TEXTS);
        encoder.resetStats();

        EmbeddingResponse response = model.call(new EmbeddingRequest(TEXTS, EmbeddingOptions.builder().build()));

        assertThat(encoder.stats().batches()).isEqualTo(1);
        assertThat(response.getResults()).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(response.getResults().get(i).getIndex()).isEqualTo(i);
            assertThat(response.getResults().get(i).getOutput()).as("text %d", i).containsExactly(expected.get(i));
        }
        // 17 + 12 + 0 + 35 tokens: transformers' AutoTokenizer on the toy model's
        // tokenizer.json (<PST> added as evaluate.py does), the PromptEOL prompt around each preprocessed text minus
        // the prompt around "" (26 tokens)
        assertThat(response.getMetadata().getUsage().getPromptTokens()).isEqualTo(64);
    }

    @Test
    void dimensionsAreKnownWithoutEmbedding() {
        encoder.resetStats();

        assertThat(model.dimensions()).isEqualTo(64);
        assertThat(encoder.stats().prompts()).isZero();
    }

    @Test
    void optionsThatCannotBeHonouredFailClearly() {
        assertThatThrownBy(() -> model.call(new EmbeddingRequest(List.of("A cat."),
                EmbeddingOptions.builder().dimensions(65).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dimensions 65 cannot be honoured").hasMessageContaining("64-dimensional");
        assertThat(model.call(new EmbeddingRequest(List.of("A cat."), EmbeddingOptions.builder().dimensions(32)
                .build())).getResult().getOutput()).containsExactly(Arrays.copyOf(encoder.embed("A cat."), 32));
        assertThatThrownBy(() -> model.call(new EmbeddingRequest(List.of("A cat."),
                EmbeddingOptions.builder().model("text-embedding-3-small").build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text-embedding-3-small");
        assertThat(model.call(new EmbeddingRequest(List.of("A cat."), EmbeddingOptions.builder().dimensions(64)
                .model(model.modelId()).build())).getResult().getOutput()).containsExactly(encoder.embed("A cat."));
    }

    @Test
    void aNullTextIsRefusedNamingItsIndex() {
        assertThatThrownBy(() -> model.call(new EmbeddingRequest(Arrays.asList("a", null), null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("text 1 is null");
    }

    @Test
    void aDocumentIsEmbeddedByItsText() {
        assertThat(model.embed(new Document("Tom ate a red apple."))).containsExactly(encoder.embed(TEXTS.get(1)));
    }
}
