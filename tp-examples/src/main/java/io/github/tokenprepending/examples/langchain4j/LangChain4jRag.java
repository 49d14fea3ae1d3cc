package io.github.tokenprepending.examples.langchain4j;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.rag.AugmentationRequest;
import dev.langchain4j.rag.DefaultRetrievalAugmentor;
import dev.langchain4j.rag.RetrievalAugmentor;
import dev.langchain4j.rag.content.retriever.EmbeddingStoreContentRetriever;
import dev.langchain4j.rag.query.Metadata;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.langchain4j.TokenPrependingEmbeddingModel;
import io.github.tokenprepending.models.ToyModel;
import java.util.Arrays;

/**
 * Retrieval-augmented generation with langchain4j and Token Prepending embeddings: a document is split into
 * passages, embedded and stored; a question retrieves the closest passages, which langchain4j injects into the
 * user message a chat model would receive. The chat model itself is left out (any langchain4j {@code ChatModel}
 * takes the printed message).
 *
 * <pre>
 * java -cp tp-cli/target/tp.jar io.github.tokenprepending.examples.langchain4j.LangChain4jRag [MODEL [QUESTION...]]
 * </pre>
 *
 * <p>MODEL is a HuggingFace id or a local checkpoint directory; {@code -} or nothing means the bundled toy model
 * (no download; it ranks only near-verbatim questions right).
 */
public final class LangChain4jRag {
    private static final String DOCUMENT = String.join("\n\n",
            "Tom had a big red ball. He liked to kick the ball in the park.",
            "Lily saw a little cat in the garden. The cat was soft and white.",
            "The sun was hot, so Ben went to swim in the blue sea.",
            "Mom made a yummy cake for the birthday party.",
            "A small bird sang a happy song in the tall tree.",
            "The old man had a boat. He went fishing on the lake every day.");

    private LangChain4jRag() {
    }

    /**
     * @param args optional model id or directory ({@code -} for the toy model), then optional question words
     */
    public static void main(String[] args) {
        String model = args.length > 0 && !args[0].equals("-") ? args[0] : ToyModel.directory().toString();
        String question = args.length > 1 ? String.join(" ", Arrays.copyOfRange(args, 1, args.length))
                : "Mom made a yummy cake.";

        // Documents are embedded with the model's own prompt, questions with a query prompt (inputType QUERY).
        try (TokenPrependingEmbeddingModel embeddings = TokenPrependingEmbeddingModel.builder()
                .settings(EncoderSettings.builder().model(model).build())
                .queryPrompt("This query : <PST> \"{sentence}\" means in one word:\"")
                .build()) {
            InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
            // one passage per paragraph; all of them go to the encoder in one call (batched by length, prefix cached)
            EmbeddingStoreIngestor.builder()
                    .documentSplitter(DocumentSplitters.recursive(80, 0))
                    .embeddingModel(embeddings)
                    .embeddingInputType(EmbeddingInputType.DOCUMENT)
                    .embeddingStore(store)
                    .build()
                    .ingest(Document.from(DOCUMENT));

            RetrievalAugmentor augmentor = DefaultRetrievalAugmentor.builder()
                    .contentRetriever(EmbeddingStoreContentRetriever.builder()
                            .embeddingStore(store)
                            .embeddingModel(embeddings)
                            .embeddingInputType(EmbeddingInputType.QUERY)
                            .maxResults(2)
                            .build())
                    .build();
            UserMessage asked = UserMessage.from(question);
            UserMessage augmented = (UserMessage) augmentor.augment(new AugmentationRequest(asked,
                    Metadata.from(asked, null, null))).chatMessage();
            System.out.println(augmented.singleText());
        }
    }
}
