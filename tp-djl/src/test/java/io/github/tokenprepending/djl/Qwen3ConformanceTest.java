package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;

/** The conformance kit on the golden qwen3 checkpoint. */
class Qwen3ConformanceTest extends LayerwiseModelConformance {
    @Override
    protected LayerwiseModel createModel() throws Exception {
        return GoldenModels.withHashingTokenizer("qwen3");
    }

    @Override
    protected double tolerance() {
        return 1e-4;
    }
}
