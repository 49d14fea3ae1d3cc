package io.github.tokenprepending.djl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * The real pretrained stories260K (TinyStories Llama, 5 layers, hidden 64) as an HF checkpoint directory: the
 * golden set's 513-row weights (row 512 = {@code <PST>}, zeros, as in the golden runs) with its own tokenizer.
 */
final class Stories260k {
    private Stories260k() {
    }

    /**
     * @param dir an empty directory
     * @return {@code dir}, now holding config.json, model.safetensors, tokenizer.json, tokenizer_config.json
     */
    static Path writeTo(Path dir) {
        try {
            Path model = GoldenModels.dir("stories260K-hf");
            Files.copy(model.resolve("config.json"), dir.resolve("config.json"));
            Files.copy(model.resolve("model.safetensors"), dir.resolve("model.safetensors"));
            try (InputStream in = new GZIPInputStream(resource("/tokenizers/stories260K-hf/tokenizer.json.gz"))) {
                Files.copy(in, dir.resolve("tokenizer.json"));
            }
            try (InputStream in = resource("/tokenizers/stories260K-hf/tokenizer_config.json")) {
                Files.copy(in, dir.resolve("tokenizer_config.json"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String path) {
        return Objects.requireNonNull(Stories260k.class.getResourceAsStream(path), path);
    }
}
