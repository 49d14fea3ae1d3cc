package io.github.tokenprepending.djl;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;

/** The conformance kit on the golden gemma2 checkpoint. */
class Gemma2ConformanceTest extends LayerwiseModelConformance {
    @Override
    protected LayerwiseModel createModel() throws Exception {
        return GoldenModels.withHashingTokenizer("gemma2");
    }

    @Override
    protected double tolerance() {
        return 5e-4;
    }
}
