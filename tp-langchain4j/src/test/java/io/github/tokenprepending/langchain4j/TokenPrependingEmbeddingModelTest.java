package io.github.tokenprepending.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The adapter against the encoder it adapts, on the bundled stories260K model (one encoder for the class). */
class TokenPrependingEmbeddingModelTest {
    private static final List<String> TEXTS = List.of("The girl played with her dog in the park.",
            "Tom ate a red apple.", "The sun was hot and the sky was blue, so the children went to the sea.",
            "A cat.", "Once upon a time there was a little bird who liked to sing every morning in the old tree.");

    private static SentenceEncoder encoder;
    private static TokenPrependingEmbeddingModel model;

    @BeforeAll
    static void open() {
        encoder = ToyEncoder.settings().open();
        model = TokenPrependingEmbeddingModel.builder().encoder(encoder).build();
    }

    @AfterAll
    static void close() {
        model.close();
        encoder.close();
    }

    @Test
    void embedAllEqualsTheEncodersEmbeddingsExactlyAndInOrder() {
        List<float[]> expected = encoder.embed(TEXTS);

        List<Embedding> actual = model.embedAll(segments(TEXTS)).content();

        assertThat(actual).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(actual.get(i).vector()).as("segment %d", i).containsExactly(expected.get(i));
        }
        List<String> reversed = new ArrayList<>(TEXTS);
        java.util.Collections.reverse(reversed);
        assertThat(model.embedAll(segments(reversed)).content().get(0).vector())
                .containsExactly(expected.get(TEXTS.size() - 1));
    }

    @Test
    void tenThousandSegmentsGoThroughTheEncoderInOneCall() {
        // a short prompt, two layers and batches of 1,000 keep this cheap: 10 batches for one call, where one call
        // per segment would make 10,000
        List<String> texts = IntStream.range(0, 10_000).mapToObj(i -> "A cat " + i + ".").toList();
        try (SentenceEncoder cheap = encoder.variant(c -> c.template("<PST> {sentence}")
                        .outputLayer(OutputLayer.afterLayer(2)).batchSize(1_000).maxBatchTokens(1 << 16));
                TokenPrependingEmbeddingModel cheapModel = TokenPrependingEmbeddingModel.builder().encoder(cheap)
                        .build()) {
            List<Embedding> actual = cheapModel.embedAll(segments(texts)).content();

            assertThat(cheap.stats().prompts()).isEqualTo(10_000);
            assertThat(cheap.stats().batches()).isEqualTo(10);
            assertThat(actual).hasSize(10_000);
            List<Integer> probes = List.of(0, 1, 4_999, 9_999);
            List<float[]> expected = cheap.embed(probes.stream().map(texts::get).toList());
            for (int p = 0; p < probes.size(); p++) {
                // another batch, other padding: equal up to float rounding
                assertThat(actual.get(probes.get(p)).vector()).as("segment %d", probes.get(p))
                        .containsExactly(expected.get(p), within(1e-5f));
            }
        }
    }

    @Test
    void anEmptyListGivesAnEmptyResponseWithoutCallingTheEncoder() {
        encoder.resetStats();

        assertThat(model.embedAll(List.of()).content()).isEmpty();
        assertThat(encoder.stats().prompts()).isZero();
    }

    @Test
    void anEmptyTextIsEmbeddedLikeTheEncoderDoes() {
        Response<Embedding> response = model.embed("");

        assertThat(response.content().vector()).containsExactly(encoder.embed(""));
        assertThat(response.tokenUsage().inputTokenCount()).isZero();
    }

    @Test
    void aNullSegmentIsRefusedNamingItsIndex() {
        List<TextSegment> withNull = Arrays.asList(TextSegment.from("a"), TextSegment.from("b"), null);

        assertThatThrownBy(() -> model.embedAll(withNull)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("segment 2 is null");
    }

    @Test
    void dimensionAndModelNameAreKnownWithoutEmbedding() {
        encoder.resetStats();

        assertThat(model.dimension()).isEqualTo(64);
        assertThat(model.modelName()).isEqualTo(ToyEncoder.settings().model());
        assertThat(encoder.stats().prompts()).isZero();
    }

    @Test
    void tokenUsageCountsTheSentencesTokensNotTheTemplates() {
        EmbeddingResponse response = model.embed(EmbeddingRequest.builder().inputs("Tom ate a red apple.", "A cat.")
                .build());

        // 12 + 4 tokens: transformers' AutoTokenizer on the toy model's
        // tokenizer.json (<PST> added as evaluate.py does), the PromptEOL prompt around each preprocessed text minus
        // the prompt around "" (26 tokens)
        assertThat(response.tokenUsage().inputTokenCount()).isEqualTo(16)
                .isLessThan(encoder.promptTokens("Tom ate a red apple."));
        assertThat(response.modelName()).isEqualTo(model.modelName());
    }

    @Test
    void dimensionsKeepTheFirstComponentsUpToTheModelsSize() {
        EmbeddingResponse own = model.embed(EmbeddingRequest.builder().input("A cat.").dimensions(64).build());
        EmbeddingResponse cut = model.embed(EmbeddingRequest.builder().input("A cat.").dimensions(32).build());

        float[] full = encoder.embed("A cat.");
        assertThat(own.embeddings().get(0).vector()).containsExactly(full);
        assertThat(cut.embeddings().get(0).vector()).containsExactly(java.util.Arrays.copyOf(full, 32));
        assertThatThrownBy(() -> model.embed(EmbeddingRequest.builder().input("A cat.").dimensions(65).build()))
                .isExactlyInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("dimensions 65 cannot be honoured").hasMessageContaining("64-dimensional");
    }

    @Test
    void anotherModelNameIsRefused() {
        assertThatThrownBy(() -> model.embed(EmbeddingRequest.builder().input("A cat.").modelName("gpt-4o")
                .build())).isExactlyInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("gpt-4o");
    }

    @Test
    void inputTypeIsRefusedWithoutAQueryPrompt() {
        for (EmbeddingInputType type : EmbeddingInputType.values()) {
            assertThatThrownBy(() -> model.embed(EmbeddingRequest.builder().input("A cat.").inputType(type)
                    .build())).isExactlyInstanceOf(UnsupportedFeatureException.class)
                    .hasMessageContaining("inputType");
        }
    }

    @Test
    void queriesUseTheQueryPromptAndDocumentsTheEncodersOwn() {
        try (TokenPrependingEmbeddingModel typed = TokenPrependingEmbeddingModel.builder().encoder(encoder)
                .queryPrompt(ToyEncoder.QUERY_PROMPT).build();
                SentenceEncoder queries = encoder.variant(c -> c.template(ToyEncoder.QUERY_PROMPT))) {
            float[] asQuery = typed.embed(EmbeddingRequest.builder().input("A cat.")
                    .inputType(EmbeddingInputType.QUERY).build()).embeddings().get(0).vector();
            float[] asDocument = typed.embed(EmbeddingRequest.builder().input("A cat.")
                    .inputType(EmbeddingInputType.DOCUMENT).build()).embeddings().get(0).vector();

            assertThat(asQuery).containsExactly(queries.embed("A cat."));
            assertThat(asDocument).containsExactly(encoder.embed("A cat."));
            assertThat(typed.embedAll(segments(List.of("A cat."))).content().get(0).vector())
                    .containsExactly(asDocument);
        }
    }

    @Test
    void aQueryPromptWithoutTheSentenceIsRefusedBeforeLoadingNamingTheSetting() {
        assertThatThrownBy(() -> TokenPrependingEmbeddingModel.builder()
                .settings(EncoderSettings.builder().model("/no/such/model").build())
                .queryPrompt("Query: <PST> means in one word:\"").build())
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("queryPrompt"));
    }

    @Test
    void theBuilderTakesExactlyOneOfEncoderAndSettings() {
        assertThatThrownBy(() -> TokenPrependingEmbeddingModel.builder().build())
                .hasMessage("give exactly one of encoder(...) and settings(...)");
        assertThatThrownBy(() -> TokenPrependingEmbeddingModel.builder().encoder(encoder)
                .settings(ToyEncoder.settings()).build())
                .hasMessage("give exactly one of encoder(...) and settings(...)");
    }

    @Test
    void closingClosesTheEncoderOnlyWhenTheModelOpenedIt() {
        TokenPrependingEmbeddingModel borrowing = TokenPrependingEmbeddingModel.builder().encoder(encoder).build();
        borrowing.close();
        assertThat(encoder.embed("A cat.")).hasSize(64);

        TokenPrependingEmbeddingModel owning = TokenPrependingEmbeddingModel.builder()
                .settings(ToyEncoder.settings()).build();
        owning.close();
        assertThatThrownBy(() -> owning.embed("A cat.")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static List<TextSegment> segments(List<String> texts) {
        return texts.stream().map(TextSegment::from).toList();
    }
}
