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
     * Reads how many decoder layers a checkpoint has, without loading it, so that a caller can resolve its output
     * layer (the paper's {@code -2} counts from the end) and load only the layers that run. By default
     * {@code num_hidden_layers} of config.json.
     *
     * @param modelDir a checkpoint directory in HuggingFace layout
     * @return the decoder layers L
     * @throws IOException if config.json is missing, malformed or has no positive {@code num_hidden_layers}
     */
    default int numLayers(Path modelDir) throws IOException {
        Path config = modelDir.resolve("config.json");
        JsonNode layers = new ObjectMapper().readTree(config.toFile()).path("num_hidden_layers");
        if (!layers.canConvertToInt() || layers.intValue() < 1) {
            throw new IOException(config + ": num_hidden_layers is missing or not a positive integer");
        }
        return layers.intValue();
    }

    /**
     * Reads the sentence-transformers head a trained embedder's folder carries ({@code modules.json} and the
     * modules' files), without loading the model. None by default.
     *
     * @param modelDir a checkpoint directory
     * @return the head, or empty when the folder has no {@code modules.json}
     * @throws IOException if a module's file is missing or malformed, or the folder holds a model this engine
     *     cannot run as an embedder (the message says why and what is supported)
     */
    default Optional<EmbeddingHead> embeddingHead(Path modelDir) throws IOException {
        return Optional.empty();
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
}
