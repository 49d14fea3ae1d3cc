package io.github.tokenprepending.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.tokenprepending.djl.WeightSource;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Seeded random weights for benchmarks: matrices ~ N(0, 1/fan_in) (so activations keep their scale through the
 * layers), embeddings ~ N(0, 1), norm weights 1 (the Llama convention), no biases. Every tensor depends only on
 * the seed and its name.
 */
public final class SyntheticWeights implements WeightSource {
    private final long seed;

    /**
     * @param seed the seed
     */
    public SyntheticWeights(long seed) {
        this.seed = seed;
    }

    @Override
    public boolean contains(String name) {
        return !name.endsWith(".bias");
    }

    @Override
    public NDArray load(String name, long[] expectedShape, NDManager manager) {
        int n = Math.toIntExact(Arrays.stream(expectedShape).reduce(1, (a, b) -> a * b));
        float[] values = new float[n];
        if (name.endsWith("norm.weight")) {
            Arrays.fill(values, 1f);
        } else {
            boolean embedding = expectedShape.length == 2 && name.contains("embed");
            double std = embedding || expectedShape.length < 2 ? 1.0 : 1.0 / Math.sqrt(expectedShape[1]);
            SplittableRandom random = new SplittableRandom(seed ^ hash(name));
            for (int i = 0; i < n; i++) {
                values[i] = (float) (gaussian(random) * std);
            }
        }
        return manager.create(values, new Shape(expectedShape));
    }

    private static long hash(String name) {
        long h = 1125899906842597L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String describe() {
        return "synthetic weights (seed " + seed + ")";
    }

    @Override
    public void close() {
    }
}
