package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.HashingTokenizer;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Objects;

/** The tiny random checkpoints of the golden sets (vocabulary 300, {@code <PST>} = 299), for tests. */
public final class GoldenModels {
    private GoldenModels() {
    }

    /**
     * @param name a bundled golden set: llama, llama3, qwen2, qwen3, gemma2 or stories260K-hf
     * @return its model directory
     */
    public static Path dir(String name) {
        try {
            return Path.of(Objects.requireNonNull(GoldenModels.class.getResource("/golden/" + name + "/model"),
                    name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Loads a golden model with a hashing tokenizer (ids 3..298, BOS 1, {@code <PST>} 299 with the checkpoint's
     * stored row), so that prompts can be fed as text.
     *
     * @param name the golden set
     * @return the model
     * @throws IOException if it cannot be loaded
     */
    public static DjlLayerwiseModel withHashingTokenizer(String name) throws IOException {
        return DjlModels.load(dir(name), new HashingTokenizer(299, 3, 1, 299),
                ModelOptions.defaults().withPlaceholder(PlaceholderInit.checkpointRow()));
    }
}
