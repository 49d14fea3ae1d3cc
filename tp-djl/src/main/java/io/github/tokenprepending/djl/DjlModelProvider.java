package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.family.Architecture;
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

    /** Reads config.json once: the architecture it hands back is what {@link Checkpoint#load} loads. */
    @Override
    public Checkpoint open(Path modelDir) throws IOException {
        SupportedModels.check(modelDir);
        Architecture architecture = DjlModels.architecture(modelDir);
        Optional<EmbeddingHead> head = SentenceTransformersFolder.read(modelDir);
        return new Checkpoint() {
            @Override
            public int numLayers() {
                return architecture.spec().numLayers();
            }

            @Override
            public Optional<EmbeddingHead> embeddingHead() {
                return head;
            }

            @Override
            public LayerwiseModel load(ModelOptions options) throws IOException {
                DjlRuntime.setThreads(options.effectiveThreads());
                return DjlModels.load(modelDir, architecture, options);
            }
        };
    }

    @Override
    public LayerwiseModel load(Path modelDir, ModelOptions options) throws IOException {
        return open(modelDir).load(options);
    }
}
