package io.github.tokenprepending.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.head.EmbeddingHead;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads {@link LayerwiseModel}s. Implementations are found with {@link java.util.ServiceLoader}: putting an
 * engine module (such as {@code tp-djl}) on the class path is enough for
 * {@code SentenceEncoder.builder().model(id)} to work.
 */
public interface LayerwiseModelProvider {

    /** @return a short name for messages, such as {@code djl} */
    String name();

    /**
     * @param modelDir a checkpoint directory in HuggingFace layout
     * @return true if this provider can run it (for example, it knows the {@code model_type})
     */
    boolean supports(Path modelDir);

    /**
     * Reads a checkpoint's configuration once, without loading weights, and hands back what it read: enough for a
     * caller to resolve its output layer (the paper's {@code -2} counts from the end) and load only the layers that
     * run, with no second read of the directory. By default {@code num_hidden_layers} of config.json, then
     * {@link #load(Path, ModelOptions)}.
     *
     * @param modelDir a checkpoint directory in HuggingFace layout
     * @return the checkpoint, ready to load
     * @throws IOException if config.json is missing, malformed or has no positive {@code num_hidden_layers}
     */
    default Checkpoint open(Path modelDir) throws IOException {
        Path config = modelDir.resolve("config.json");
        JsonNode layers = new ObjectMapper().readTree(config.toFile()).path("num_hidden_layers");
        if (!layers.canConvertToInt() || layers.intValue() < 1) {
            throw new IOException(config + ": num_hidden_layers is missing or not a positive integer");
        }
        int numLayers = layers.intValue();
        return new Checkpoint() {
            @Override
            public int numLayers() {
                return numLayers;
            }

            @Override
            public LayerwiseModel load(ModelOptions options) throws IOException {
                return LayerwiseModelProvider.this.load(modelDir, options);
            }
        };
    }

    /**
     * Loads a checkpoint directory in HuggingFace layout ({@code config.json}, safetensors, {@code tokenizer.json}).
     *
     * @param modelDir the directory
     * @param options device, dtype, weights dtype, placeholder vector, layers to load
     * @return the model; close it
     * @throws IOException when a file is missing or malformed; the message names the file
     */
    LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException;

    /** A checkpoint whose configuration a provider has read ({@link #open}). */
    interface Checkpoint {
        /** @return the decoder layers L */
        int numLayers();

        /**
         * @return the sentence-transformers head a trained embedder's folder carries ({@code modules.json} and the
         *     modules' files), or empty for a plain checkpoint (the default)
         */
        default Optional<EmbeddingHead> embeddingHead() {
            return Optional.empty();
        }

        /**
         * Loads the checkpoint with what {@link #open} read.
         *
         * @param options device, dtype, weights dtype, placeholder vector, layers to load
         * @return the model; close it
         * @throws IOException when a file is missing or malformed; the message names the file
         */
        LayerwiseModel load(ModelOptions options) throws IOException;
    }
}
