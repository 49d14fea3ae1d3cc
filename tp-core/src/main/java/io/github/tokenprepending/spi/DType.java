package io.github.tokenprepending.spi;

import java.util.Locale;

/** Compute dtypes. Embeddings always come back to the host as float32. */
public enum DType {
    /** IEEE float32: the default on CPU, and what the paper's reference code uses. */
    FLOAT32,
    /** IEEE float16, for GPUs. */
    FLOAT16,
    /** bfloat16, for GPUs; kept inside the engine (DJL cannot hold bf16 on the host). */
    BFLOAT16;

    /**
     * Parses {@code fp32/float32/f32}, {@code fp16/float16/f16/half}, {@code bf16/bfloat16}.
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
            default:
                throw new IllegalArgumentException("unknown dtype '" + text
                        + "' (expected fp32, fp16 or bf16)");
        }
    }
}
