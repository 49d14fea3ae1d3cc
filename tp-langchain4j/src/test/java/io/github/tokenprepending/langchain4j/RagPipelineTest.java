package io.github.tokenprepending.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Query;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.IngestionResult;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end with langchain4j's own pieces: a document is split by paragraph, ingested by
 * {@link EmbeddingStoreIngestor} into an {@link InMemoryEmbeddingStore} (as {@code DOCUMENT}s), and
 * {@link EmbeddingStoreContentRetriever} retrieves for a query (as a {@code QUERY}, with the query prompt).
 *
 * <p>stories260K is a toy trained on children's stories: its similarities all lie near 1. The corpus is in its
 * language and each query repeats the first sentence of its passage, so the answer is lexically obvious; the toy
 * ranks these four first (it misranks "Ben went to swim in the blue sea." and "The old man had a boat.", kept in
 * the corpus as distractors).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RagPipelineTest {
    private static final List<String> PASSAGES = List.of(
            "Tom had a big red ball. He liked to kick the ball in the park.",
            "Lily saw a little cat in the garden. The cat was soft and white.",
            "The sun was hot, so Ben went to swim in the blue sea.",
            "Mom made a yummy cake for the birthday party.",
            "A small bird sang a happy song in the tall tree.",
            "The old man had a boat. He went fishing on the lake every day.");

    private TokenPrependingEmbeddingModel model;
    private EmbeddingStoreContentRetriever retriever;
    private IngestionResult ingestion;
    private InMemoryEmbeddingStore<TextSegment> store;

    @BeforeAll
    void ingest() {
        model = TokenPrependingEmbeddingModel.builder().settings(ToyEncoder.settings())
                .queryPrompt(ToyEncoder.QUERY_PROMPT).build();
        store = new InMemoryEmbeddingStore<>();
        ingestion = EmbeddingStoreIngestor.builder()
                .documentSplitter(DocumentSplitters.recursive(70, 0))
                .embeddingModel(model)
                .embeddingInputType(EmbeddingInputType.DOCUMENT)
                .embeddingStore(store)
                .build()
                .ingest(Document.from(String.join("\n\n", PASSAGES)));
        retriever = EmbeddingStoreContentRetriever.builder()
                .embeddingStore(store)
                .embeddingModel(model)
                .embeddingInputType(EmbeddingInputType.QUERY)
                .maxResults(PASSAGES.size())
                .build();
    }

    @AfterAll
    void close() {
        model.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "Tom had a big red ball.             | 0",
        "Lily saw a little cat in the garden. | 1",
        "Mom made a yummy cake.              | 3",
        "A small bird sang a happy song.     | 4"})
    void theRetrieverRanksThePassageThatAnswersTheQueryFirst(String query, int answer) {
        List<Content> found = retriever.retrieve(Query.from(query));

        assertThat(found).hasSize(PASSAGES.size());
        assertThat(found.get(0).textSegment().text()).isEqualTo(PASSAGES.get(answer));
        assertThat(found).extracting(c -> c.textSegment().text()).containsExactlyInAnyOrderElementsOf(PASSAGES);
    }

    @Test
    void everyParagraphIsOneSegmentStoredAsItsDocumentEmbeddingWithItsTokenCount() {
        // 26 + 27 + 27 + 26 + 23 + 28 tokens: transformers' AutoTokenizer on the toy model's
        // tokenizer.json (<PST> added as evaluate.py does), the PromptEOL prompt around each preprocessed text minus
        // the prompt around "" (26 tokens)
        assertThat(ingestion.tokenUsage().inputTokenCount()).isEqualTo(157);
        for (String passage : PASSAGES) {
            EmbeddingMatch<TextSegment> best = store.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(model.embed(passage).content()).maxResults(1).build()).matches().get(0);
            assertThat(best.embedded().text()).isEqualTo(passage);
            assertThat(best.score()).isCloseTo(1.0, within(1e-6));
        }
    }
}
