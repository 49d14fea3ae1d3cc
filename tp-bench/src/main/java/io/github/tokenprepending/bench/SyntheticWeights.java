package io.github.tokenprepending.bench;

import io.github.tokenprepending.djl.WeightSource;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Seeded random float32 weights for benchmarks: matrices uniform with the variance of N(0, 1/fan_in) (so
 * activations keep their scale through the layers), embeddings with variance 1, norm weights 1 (the Llama
 * convention), no biases. Element {@code i} of a tensor depends only on the seed, the tensor's name and {@code i}
 * (a counter-based hash, about 2 ns an element), so a 7B-parameter model is generated piece by piece in seconds
 * and never held twice.
 */
public final class SyntheticWeights implements WeightSource {
    private final long seed;
    private final Map<String, long[]> shapes = new HashMap<>();

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
    public synchronized TensorDtype dtype(String name, long[] expectedShape) {
        shapes.put(name, expectedShape.clone());
        return TensorDtype.F32;
    }

    @Override
    public synchronized void read(String name, long first, int count, ByteBuffer dst) {
        long[] shape = shapes.get(name);
        if (shape == null) {
            throw new IllegalStateException("tensor " + name + " read before its dtype was asked");
        }
        FloatBuffer out = dst.slice(dst.position(), count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .asFloatBuffer();
        if (name.endsWith("norm.weight")) {
            for (int i = 0; i < count; i++) {
                out.put(1f);
            }
        } else {
            boolean embedding = shape.length == 2 && name.contains("embed");
            double std = embedding || shape.length < 2 ? 1.0 : 1.0 / Math.sqrt(shape[1]);
            double halfWidth = Math.sqrt(3) * std; // U(-a, a) has variance a^2 / 3
            long base = seed ^ hash(name);
            for (int i = 0; i < count; i++) {
                double u = (mix(base + (first + i) * 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
                out.put((float) ((2 * u - 1) * halfWidth));
            }
        }
        dst.position(dst.position() + count * Float.BYTES);
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit value of a counter. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long hash(String name) {
        long h = 1125899906842597L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = 31 * h + b;
        }
        return h;
    }

    @Override
    public String describe() {
        return "synthetic weights (seed " + seed + ")";
    }

    @Override
    public void close() {
    }
}
