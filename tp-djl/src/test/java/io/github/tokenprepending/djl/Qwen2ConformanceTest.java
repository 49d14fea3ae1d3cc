package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;

/** The conformance kit on the golden qwen2 checkpoint. */
class Qwen2ConformanceTest extends LayerwiseModelConformance {
    @Override
    protected LayerwiseModel createModel() throws Exception {
        return GoldenModels.withHashingTokenizer("qwen2");
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
