package io.github.tokenprepending.spi;

import java.util.Locale;

/**
 * Compute dtypes, and the dtypes weight matrices may be kept in ({@link #INT8} is a weights dtype only). Embeddings
 * always come back to the host as float32.
 */
public enum DType {
    /** IEEE float32: the default on CPU, and what the paper's reference code uses. */
    FLOAT32,
    /** IEEE float16, for GPUs. */
    FLOAT16,
    /** bfloat16, for GPUs; kept inside the engine (DJL cannot hold bf16 on the host). */
    BFLOAT16,
    /**
     * Weights only: symmetric per-output-channel int8 matrices, multiplied by libtorch's int8 kernels (FBGEMM on
     * x86, QNNPACK on ARM) under float32 compute; a quarter of float32's memory.
     */
    INT8;

    /** @return whether this dtype can compute (every one but {@link #INT8}, which only stores weights) */
    public boolean computes() {
        return this != INT8;
    }

    /**
     * Parses {@code fp32/float32/f32}, {@code fp16/float16/f16/half}, {@code bf16/bfloat16}, {@code int8/i8}.
     *
     * @param text the name
     * @return the dtype
     * @throws IllegalArgumentException for an unknown name
     */
    public static DType parse(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "fp32": case "float32": case "f32": case "float":
                return FLOAT32;
            case "fp16": case "float16": case "f16": case "half":
                return FLOAT16;
            case "bf16": case "bfloat16":
                return BFLOAT16;
            case "int8": case "i8":
                return INT8;
            default:
                throw new IllegalArgumentException("unknown dtype '" + text
                        + "' (expected fp32, fp16, bf16 or, for weights, int8)");
        }
    }
}
