package io.github.tokenprepending.spi;

import java.io.IOException;
import java.nio.file.Path;

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
     * Loads a checkpoint directory in HuggingFace layout ({@code config.json}, safetensors, {@code tokenizer.json}).
     *
     * @param modelDir the directory
     * @param options device, dtype, placeholder vector
     * @return the model; close it
     * @throws IOException when a file is missing or malformed; the message names the file
     */
    LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException;
}
