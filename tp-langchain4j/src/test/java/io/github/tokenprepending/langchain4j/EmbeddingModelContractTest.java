package io.github.tokenprepending.langchain4j;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.common.AbstractEmbeddingModelIT;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import io.github.tokenprepending.SentenceEncoder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;

/**
 * langchain4j's own contract for {@link EmbeddingModel}s ({@code AbstractEmbeddingModelIT} from langchain4j-core's
 * test jar) run against {@link TokenPrependingEmbeddingModel} on the bundled stories260K model: request and
 * convenience APIs, order, dimension, model name, token usage, query vs document, fail-fast on {@code dimensions}
 * and images, listeners on success and on error.
 */
class EmbeddingModelContractTest extends AbstractEmbeddingModelIT {
    private final SentenceEncoder encoder = ToyEncoder.settings().open();
    private final SentenceEncoder closed = encoder.variant(c -> { });

    @AfterAll
    void close() {
        encoder.close();
    }

    /** A new model per test over the shared encoder: JUnit closes AutoCloseable arguments after each test. */
    @Override
    protected List<EmbeddingModel> models() {
        return List.of(TokenPrependingEmbeddingModel.builder().encoder(encoder).queryPrompt(ToyEncoder.QUERY_PROMPT)
                .build());
    }

    @Override
    protected EmbeddingModel modelWith(EmbeddingModelListener listener) {
        return TokenPrependingEmbeddingModel.builder().encoder(encoder).queryPrompt(ToyEncoder.QUERY_PROMPT)
                .listeners(List.of(listener)).build();
    }

    /** A model whose encoder is closed: every call fails with an {@link IllegalStateException}. */
    @Override
    protected EmbeddingModel failingModelWith(EmbeddingModelListener listener) {
        closed.close();
        return TokenPrependingEmbeddingModel.builder().encoder(closed).listeners(List.of(listener)).build();
    }

    @Override
    protected boolean supportsDimensionsParameter() {
        return false;
    }

    @Override
    protected boolean supportsImageInput() {
        return false;
    }
}
