package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.sentencetransformers.SentenceTransformersFolder;
import io.github.tokenprepending.djl.sentencetransformers.SupportedModels;
import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.LayerwiseModelProvider;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The DJL (PyTorch engine) provider, registered for {@link java.util.ServiceLoader}: it runs every checkpoint whose
 * {@code model_type} a registered {@link io.github.tokenprepending.djl.family.ModelFamily} supports.
 */
public final class DjlModelProvider implements LayerwiseModelProvider {

    @Override
    public String name() {
        return "djl";
    }

    @Override
    public boolean supports(Path modelDir) {
        if (!Files.isRegularFile(modelDir.resolve("config.json"))) {
            return false;
        }
        try {
            DjlModels.family(modelDir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public int numLayers(Path modelDir) throws IOException {
        SupportedModels.check(modelDir);
        return DjlModels.spec(modelDir).numLayers();
    }

    @Override
    public Optional<EmbeddingHead> embeddingHead(Path modelDir) throws IOException {
        return SentenceTransformersFolder.read(modelDir);
    }

    @Override
    public LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException {
        SupportedModels.check(modelDir);
        DjlRuntime.setThreads(options.effectiveThreads());
        return DjlModels.load(modelDir, options);
    }
}
