package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;

/** The conformance kit on the golden llama checkpoint. */
class LlamaConformanceTest extends LayerwiseModelConformance {
    @Override
    protected LayerwiseModel createModel() throws Exception {
        return GoldenModels.withHashingTokenizer("llama");
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
