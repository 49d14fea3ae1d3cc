package io.github.tokenprepending.toy;

import io.github.tokenprepending.conformance.LayerwiseModelConformance;
import io.github.tokenprepending.spi.LayerwiseModel;

class ToyModelConformanceTest extends LayerwiseModelConformance {
    @Override
    protected LayerwiseModel createModel() {
        return new ToyModel(4);
    }

    @Override
    protected double tolerance() {
        return 1e-6;
    }
}
