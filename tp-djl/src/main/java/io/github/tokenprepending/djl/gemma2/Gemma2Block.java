package io.github.tokenprepending.djl.gemma2;

import io.github.tokenprepending.djl.family.LayerBlock;

/**
 * {@code gemma2_layer.pt}: sliding-window attention on even layers (0, 2, 4, ...), global on odd ones; takes the
 * attention scale and the logit soft-cap as extra arguments.
 *
 * @param slidingWindow the window W of even layers
 * @param scale the attention score multiplier
 * @param softcap the logit soft-cap, 0 for none
 */
record Gemma2Block(int slidingWindow, double scale, double softcap) implements LayerBlock {

    @Override
    public String resource() {
        return "gemma2_layer.pt";
    }

    @Override
    public FinalNorm finalNorm() {
        return FinalNorm.RMS_UNIT_OFFSET;
    }

    @Override
    public boolean usesSlidingWindow(int layer) {
        return slidingWindow > 0 && layer % 2 == 0;
    }

    @Override
    public double[] extraArguments(int layer) {
        return new double[] {scale, softcap};
    }
}
