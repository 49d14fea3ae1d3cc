package io.github.tokenprepending.djl.family;

import java.util.Locale;

/** MLP activations of the supported families (their codes: the blocks' manifest, by lower-case name). */
public enum Activation {
    /** SiLU (Llama, Mistral, Qwen2). */
    SILU,
    /** GELU with the tanh approximation ({@code gelu_pytorch_tanh}, Gemma2). */
    GELU_TANH,
    /** Exact GELU. */
    GELU;

    /**
     * @param hfName {@code hidden_act} / {@code hidden_activation} of config.json
     * @return the activation
     * @throws IllegalArgumentException for an activation the blocks do not implement
     */
    public static Activation fromHf(String hfName) {
        switch (hfName.toLowerCase(Locale.ROOT)) {
            case "silu": case "swish":
                return SILU;
            case "gelu_pytorch_tanh": case "gelu_new": case "gelu_fast": case "gelu_tanh":
                return GELU_TANH;
            case "gelu":
                return GELU;
            default:
                throw new IllegalArgumentException("unsupported activation '" + hfName + "'");
        }
    }
}
