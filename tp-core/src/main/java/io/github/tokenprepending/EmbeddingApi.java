package io.github.tokenprepending;

import java.util.List;
import java.util.Objects;

/**
 * What every embedding-API adapter (langchain4j, Spring AI) does over a {@link SentenceEncoder}, framework-neutral:
 * refuse a dimension count or a model name it cannot honour, refuse null inputs by index, and embed with token
 * usage from one tokenization. The adapters only turn these into their framework's types and exceptions.
 */
public final class EmbeddingApi {
    private EmbeddingApi() {
    }

    /**
     * @param encoder the encoder
     * @param requested the dimensions a request asks for, or null
     * @return why they cannot be honoured, or null when absent or from 1 to the encoder's dimension (the first
     *     components are kept: Matryoshka truncation, as sentence-transformers' {@code truncate_dim})
     */
    public static String dimensionsProblem(SentenceEncoder encoder, Integer requested) {
        if (requested == null || requested >= 1 && requested <= encoder.dimension()) {
            return null;
        }
        return "dimensions " + requested + " cannot be honoured: " + encoder.modelId() + " gives "
                + encoder.dimension() + "-dimensional embeddings (1.." + encoder.dimension()
                + " keeps the first components)";
    }

    /**
     * @param encoder the encoder
     * @param requested the model a request names, or null
     * @return whether the encoder serves it: absent, or equal to {@link SentenceEncoder#modelId()}
     */
    public static boolean serves(SentenceEncoder encoder, String requested) {
        return requested == null || requested.equals(encoder.modelId());
    }

    /**
     * @param encoder the encoder
     * @param texts the inputs
     * @param what what an input is called in the error ({@code text}, {@code segment})
     * @return their embeddings and token counts, from one tokenization
     * @throws IllegalArgumentException naming the index of a null input
     */
    public static Embeddings embed(SentenceEncoder encoder, List<String> texts, String what) {
        return embed(encoder, texts, what, null, null);
    }

    /**
     * @param encoder the encoder
     * @param texts the inputs
     * @param what what an input is called in the error ({@code text}, {@code segment})
     * @param promptName the named prompt (a trained embedder's {@code query}, ...), or null for the default
     * @param dimensions the first components kept, or null for all
     * @return their embeddings and token counts, from one tokenization
     * @throws IllegalArgumentException naming the index of a null input, or for an unknown prompt name
     */
    public static Embeddings embed(SentenceEncoder encoder, List<String> texts, String what, String promptName,
            Integer dimensions) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new IllegalArgumentException(what + " " + i + " is null");
            }
        }
        return encoder.encode(texts, promptName, dimensions == null ? 0 : dimensions);
    }
}
