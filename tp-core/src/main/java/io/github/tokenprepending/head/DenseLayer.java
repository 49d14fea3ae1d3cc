package io.github.tokenprepending.head;

import java.util.Objects;

/**
 * A sentence-transformers {@code Dense} module: {@code activation(W x + b)} on the pooled vector.
 *
 * @param inFeatures input size
 * @param outFeatures output size
 * @param weight row-major {@code [outFeatures, inFeatures]}, as {@code torch.nn.Linear} stores it
 * @param bias {@code [outFeatures]}, or null when the module has none
 * @param activation the activation after the product
 */
public record DenseLayer(int inFeatures, int outFeatures, float[] weight, float[] bias, Activation activation) {

    /** Validates the shapes. */
    public DenseLayer {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(activation, "activation");
        if (inFeatures < 1 || outFeatures < 1) {
            throw new IllegalArgumentException("a dense layer needs positive sizes, got " + inFeatures + " -> "
                    + outFeatures);
        }
        if (weight.length != (long) inFeatures * outFeatures) {
            throw new IllegalArgumentException("dense weight has " + weight.length + " values, expected "
                    + outFeatures + " x " + inFeatures);
        }
        if (bias != null && bias.length != outFeatures) {
            throw new IllegalArgumentException("dense bias has " + bias.length + " values, expected "
                    + outFeatures);
        }
    }

    /**
     * @param x a vector of {@link #inFeatures()} values
     * @return {@code activation(W x + b)}, accumulated in double
     */
    public float[] apply(float[] x) {
        if (x.length != inFeatures) {
            throw new IllegalArgumentException("dense layer expects " + inFeatures + " inputs, got " + x.length);
        }
        float[] y = new float[outFeatures];
        for (int o = 0; o < outFeatures; o++) {
            double acc = bias == null ? 0 : bias[o];
            int row = o * inFeatures;
            for (int i = 0; i < inFeatures; i++) {
                acc += (double) weight[row + i] * x[i];
            }
            y[o] = (float) activation.apply(acc);
        }
        return y;
    }
}
