package io.github.tokenprepending.springai;

import io.github.tokenprepending.EmbeddingApi;
import io.github.tokenprepending.Embeddings;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.embedding.EmbeddingResponseMetadata;

/**
 * A Spring AI {@link EmbeddingModel} over a {@link SentenceEncoder}: Token Prepending sentence embeddings for
 * Spring AI's vector stores and RAG advisors. Spring Boot applications get one from {@code tp-spring-boot-starter}
 * (properties {@code tp.embedding.*}); others build it from an encoder or {@link EncoderSettings}.
 *
 * <p>{@link #call} sends the whole request to the encoder in one {@link SentenceEncoder#embed(List)} call, so
 * length-sorted batching and the prefix cache work across all its texts. Request options it cannot honour fail
 * with an {@link IllegalArgumentException}: {@code dimensions} other than {@link #dimensions()} (the model was not
 * trained for truncated embeddings) and a {@code model} other than {@link #modelId()}. The usage in the response
 * metadata counts the texts' own tokens, not the prompt template's.
 *
 * <p>Thread-safe, as the encoder. {@link #close()} frees the encoder when this model opened it.
 */
public final class TokenPrependingEmbeddingModel implements EmbeddingModel, AutoCloseable {
    private final SentenceEncoder encoder;
    private final boolean ownsEncoder;

    /**
     * @param encoder an open encoder, used and not closed by this model
     */
    public TokenPrependingEmbeddingModel(SentenceEncoder encoder) {
        this(encoder, false);
    }

    private TokenPrependingEmbeddingModel(SentenceEncoder encoder, boolean ownsEncoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.ownsEncoder = ownsEncoder;
    }

    /**
     * Opens an encoder with the settings; the model owns it.
     *
     * @param settings the encoder settings
     * @return the model; close it
     * @throws io.github.tokenprepending.InvalidSettingException naming a bad setting, before anything is loaded
     * @throws java.io.UncheckedIOException if the model cannot be found or read
     */
    public static TokenPrependingEmbeddingModel open(EncoderSettings settings) {
        return new TokenPrependingEmbeddingModel(settings.open(), true);
    }

    /**
     * Embeds every text of the request in one encoder call.
     *
     * @param request texts and options
     * @return one embedding per text, indexed in request order, with the model id and token usage
     * @throws IllegalArgumentException for a null text (naming its index) or options that cannot be honoured
     */
    @Override
    public EmbeddingResponse call(EmbeddingRequest request) {
        checkOptions(request.getOptions());
        Integer dimensions = request.getOptions() == null ? null : request.getOptions().getDimensions();
        Embeddings result = EmbeddingApi.embed(encoder, request.getInstructions(), "text", null, dimensions);
        List<Embedding> embeddings = new ArrayList<>(result.size());
        for (int i = 0; i < result.size(); i++) {
            embeddings.add(new Embedding(result.vectors().get(i), i));
        }
        int tokens = Math.toIntExact(result.totalTokens());
        return new EmbeddingResponse(embeddings,
                new EmbeddingResponseMetadata(modelId(), new DefaultUsage(tokens, 0, tokens)));
    }

    /**
     * @param document a text document
     * @return the embedding of its text (metadata is not embedded)
     * @throws IllegalArgumentException for a document without text (media)
     */
    @Override
    public float[] embed(Document document) {
        if (!document.isText()) {
            throw new IllegalArgumentException("document " + document.getId() + " has no text: this model embeds"
                    + " text only");
        }
        return embed(document.getText());
    }

    /** @return the embedding dimension, known without embedding anything */
    @Override
    public int dimensions() {
        return encoder.dimension();
    }

    /** @return the model as configured: a HuggingFace id or a local directory */
    public String modelId() {
        return encoder.modelId();
    }

    /** @return the encoder behind this model */
    public SentenceEncoder encoder() {
        return encoder;
    }

    /** Frees the encoder and its model if this model opened them. */
    @Override
    public void close() {
        if (ownsEncoder) {
            encoder.close();
        }
    }

    private void checkOptions(EmbeddingOptions options) {
        if (options == null) {
            return;
        }
        String dimensions = EmbeddingApi.dimensionsProblem(encoder, options.getDimensions());
        if (dimensions != null) {
            throw new IllegalArgumentException(dimensions);
        }
        if (!EmbeddingApi.serves(encoder, options.getModel())) {
            throw new IllegalArgumentException("model '" + options.getModel() + "' cannot be honoured: this"
                    + " embedding model serves '" + modelId() + "' only (set tp.embedding.model to change it)");
        }
    }
}
