package io.github.tokenprepending.djl.sentencetransformers;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance kit (batch and padding invariance, Token Prepending range semantics, early exit, prefix cache) on a
 * trained embedder's folder as a user receives it: Qwen3-Embedding's layout, a bare {@code Qwen3Model} checkpoint
 * whose tensors have no {@code model.} prefix, a tokenizer that appends EOS.
 */
class EmbedderConformanceTest extends LayerwiseModelConformance {
    @TempDir
    static Path tmp;

    @Override
    protected LayerwiseModel createModel() throws Exception {
        return DjlModels.load(StModels.unpack("qwen3-embedding", tmp), ModelOptions.defaults().withDtype(DType.FLOAT32));
    }
}
