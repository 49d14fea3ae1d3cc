package io.github.tokenprepending.langchain4j;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.listener.EmbeddingModelListener;
import dev.langchain4j.model.embedding.request.EmbeddingInput;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;
import dev.langchain4j.model.output.Response;
import dev.langchain4j.model.output.TokenUsage;
import io.github.tokenprepending.EmbeddingApi;
import io.github.tokenprepending.Embeddings;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.prompt.PromptSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A langchain4j {@link EmbeddingModel} over a {@link SentenceEncoder}: Token Prepending sentence embeddings for
 * {@code EmbeddingStoreIngestor}, {@code EmbeddingStoreContentRetriever} and every other langchain4j component that
 * takes an embedding model.
 *
 * <pre>{@code
 * try (TokenPrependingEmbeddingModel model = TokenPrependingEmbeddingModel.builder()
 *         .settings(EncoderSettings.builder().model("meta-llama/Llama-2-7b-hf").build())
 *         .build()) {
 *     EmbeddingStoreIngestor.builder().embeddingModel(model).embeddingStore(store).build().ingest(documents);
 * }
 * }</pre>
 *
 * <p>Every request goes to the encoder in one {@link SentenceEncoder#embed(List)} call, whatever its size, so the
 * encoder's length-sorted batching and prefix cache work across all its inputs (langchain4j's in-process models run
 * one task per segment instead).
 *
 * <p>Per-call parameters follow langchain4j's contract: what this model cannot honour fails with
 * {@link UnsupportedFeatureException}. {@code inputType} is supported when a {@linkplain Builder#queryPrompt query
 * prompt} is configured ({@code QUERY} uses it, {@code DOCUMENT} the encoder's own prompt), or when the model's
 * sentence-transformers folder names a {@code query} prompt ({@code QUERY} embeds with the {@code query} prompt,
 * {@code DOCUMENT} with {@code document} or {@code passage} when the folder has one, else the default);
 * {@code dimensions} up to {@link #dimension()} (the first N components, normalised after the cut when the encoder
 * normalises: Matryoshka truncation, as sentence-transformers' {@code truncate_dim}); {@code modelName} only when it
 * equals {@link #modelName()}. Token usage counts the inputs' own tokens, not the prompt template's.
 *
 * <p>Thread-safe, as the encoder. Closing it closes what it owns: the query-prompt variant always, the encoder
 * when it was built from {@link EncoderSettings}.
 */
public final class TokenPrependingEmbeddingModel implements EmbeddingModel, AutoCloseable {
    private final SentenceEncoder documents;
    private final SentenceEncoder queries;
    private final boolean ownsEncoder;
    private final List<EmbeddingModelListener> listeners;
    private final Set<EmbeddingParameter<?>> supported;
    private final String queryPromptName;
    private final String documentPromptName;

    private TokenPrependingEmbeddingModel(SentenceEncoder documents, SentenceEncoder queries, boolean ownsEncoder,
            List<EmbeddingModelListener> listeners) {
        this.documents = documents;
        this.queries = queries;
        this.ownsEncoder = ownsEncoder;
        this.listeners = listeners;
        List<String> named = documents.promptNames();
        this.queryPromptName = queries == null && named.contains("query") ? "query" : null;
        this.documentPromptName = queryPromptName == null ? null
                : named.contains("document") ? "document" : named.contains("passage") ? "passage" : null;
        Set<EmbeddingParameter<?>> params = new LinkedHashSet<>(List.of(EmbeddingRequestParameters.MODEL_NAME,
                EmbeddingRequestParameters.DIMENSIONS));
        if (queries != null || queryPromptName != null) {
            params.add(EmbeddingRequestParameters.INPUT_TYPE);
        }
        this.supported = Set.copyOf(params);
    }

    /** @return a builder; {@link Builder#encoder} or {@link Builder#settings} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Embeds every input of the request in one encoder call.
     *
     * @param request the inputs and parameters, already merged with the defaults and checked against
     *     {@link #supportedParameters()}
     * @return one embedding per input, in input order, with the model name and the inputs' token count
     * @throws UnsupportedFeatureException for a {@code dimensions} or {@code modelName} this model cannot honour
     */
    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        EmbeddingRequestParameters params = request.parameters();
        String dimensions = EmbeddingApi.dimensionsProblem(documents, params.dimensions());
        if (dimensions != null) {
            throw new UnsupportedFeatureException(dimensions);
        }
        if (!EmbeddingApi.serves(documents, params.modelName())) {
            throw new UnsupportedFeatureException("modelName '" + params.modelName() + "' cannot be honoured: this"
                    + " model embeds with '" + modelName() + "' only");
        }
        boolean query = params.inputType() == EmbeddingInputType.QUERY;
        SentenceEncoder encoder = query && queries != null ? queries : documents;
        String promptName = params.inputType() == null ? null : query ? queryPromptName : documentPromptName;
        List<String> texts = request.inputs().stream().map(EmbeddingInput::text).toList();
        Embeddings result = EmbeddingApi.embed(encoder, texts, "input", promptName, params.dimensions());
        List<Embedding> embeddings = new ArrayList<>(result.size());
        result.vectors().forEach(v -> embeddings.add(Embedding.from(v)));
        return EmbeddingResponse.builder().embeddings(embeddings).modelName(modelName())
                .tokenUsage(new TokenUsage(Math.toIntExact(result.totalTokens()))).build();
    }

    /**
     * Embeds the segments in one encoder call.
     *
     * @param segments the segments; an empty list gives an empty response
     * @return one embedding per segment, in order
     * @throws IllegalArgumentException naming the index of a null segment
     */
    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Objects.requireNonNull(segments, "segments");
        for (int i = 0; i < segments.size(); i++) {
            if (segments.get(i) == null) {
                throw new IllegalArgumentException("segment " + i + " is null");
            }
        }
        return EmbeddingModel.super.embedAll(segments);
    }

    /**
     * Embeds a text; unlike a {@link TextSegment}, it may be empty.
     *
     * @param text the text
     * @return its embedding and token count
     */
    @Override
    public Response<Embedding> embed(String text) {
        EmbeddingResponse response = embed(EmbeddingRequest.builder().input(text).build());
        return Response.from(response.embeddings().get(0), response.tokenUsage());
    }

    /** @return {@code modelName}, {@code dimensions}, and {@code inputType} when a query prompt is configured or named */
    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return supported;
    }

    @Override
    public List<EmbeddingModelListener> listeners() {
        return listeners;
    }

    /** @return the embedding dimension, known without embedding anything */
    @Override
    public int dimension() {
        return documents.dimension();
    }

    /** @return the model as configured: a HuggingFace id or a local directory */
    @Override
    public String modelName() {
        return documents.modelId();
    }

    /** @return the encoder behind this model (documents, and queries without a query prompt) */
    public SentenceEncoder encoder() {
        return documents;
    }

    /** Closes the query-prompt variant, then the encoder if this model opened it. */
    @Override
    public void close() {
        if (queries != null && queries != documents) {
            queries.close();
        }
        if (ownsEncoder) {
            documents.close();
        }
    }

    /** Builds a {@link TokenPrependingEmbeddingModel}. */
    public static final class Builder {
        private SentenceEncoder encoder;
        private EncoderSettings settings;
        private String queryPrompt;
        private List<EmbeddingModelListener> listeners = List.of();

        private Builder() {
        }

        /**
         * @param encoder an open encoder, which the model uses but does not close
         * @return this
         */
        public Builder encoder(SentenceEncoder encoder) {
            this.encoder = encoder;
            return this;
        }

        /**
         * @param settings settings the model opens its own encoder with (and closes it with {@link #close()})
         * @return this
         */
        public Builder settings(EncoderSettings settings) {
            this.settings = settings;
            return this;
        }

        /**
         * Enables {@code inputType}: queries ({@code QUERY}) are embedded with this prompt, documents (no input type
         * or {@code DOCUMENT}) with the encoder's own.
         *
         * @param queryPrompt a method name or a template with {@code {sentence}} (and {@code <PST>} before it for
         *     Token Prepending), as the {@link EncoderSettings#PROMPT} setting takes it
         * @return this
         */
        public Builder queryPrompt(String queryPrompt) {
            this.queryPrompt = queryPrompt;
            return this;
        }

        /**
         * @param listeners told around every embedding call
         * @return this
         */
        public Builder listeners(List<EmbeddingModelListener> listeners) {
            this.listeners = List.copyOf(listeners);
            return this;
        }

        /**
         * @return the model; close it
         * @throws IllegalArgumentException if neither or both of encoder and settings are given, or the query
         *     prompt is malformed ({@link InvalidSettingException} names the setting)
         */
        public TokenPrependingEmbeddingModel build() {
            if ((encoder == null) == (settings == null)) {
                throw new IllegalArgumentException("give exactly one of encoder(...) and settings(...)");
            }
            if (queryPrompt != null) {
                // checked before a model is loaded; the template needs <PST> unless the encoder is vanilla
                queryPrompts(settings == null ? !encoder.config().isVanilla()
                        : !Boolean.TRUE.equals(settings.get(EncoderSettings.VANILLA)));
            }
            SentenceEncoder documents = encoder != null ? encoder : settings.open();
            try {
                SentenceEncoder queries = queryPrompt == null ? null
                        : documents.variant(c -> c.prompts(queryPrompts(!documents.config().isVanilla())));
                return new TokenPrependingEmbeddingModel(documents, queries, encoder == null, listeners);
            } catch (RuntimeException e) {
                if (encoder == null) {
                    documents.close();
                }
                throw e;
            }
        }

        private PromptSet queryPrompts(boolean tokenPrepending) {
            try {
                return EncoderSettings.prompts(queryPrompt, tokenPrepending);
            } catch (InvalidSettingException e) {
                throw new InvalidSettingException("queryPrompt", e.problem(), e);
            }
        }
    }
}
