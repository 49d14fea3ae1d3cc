package io.github.tokenprepending.djl.family;

/**
 * Rotary position embedding settings ({@code rope_theta} and {@code rope_scaling} of config.json).
 *
 * @param theta the base
 * @param type how inv_freq is scaled
 * @param factor scaling factor (1 for none)
 * @param lowFreqFactor Llama-3 {@code low_freq_factor}
 * @param highFreqFactor Llama-3 {@code high_freq_factor}
 * @param originalMaxPositions Llama-3 {@code original_max_position_embeddings}
 */
public record RopeSpec(double theta, Type type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /** How inv_freq is derived from the base, as in HF's {@code ROPE_INIT_FUNCTIONS} (codes: the blocks' manifest). */
    public enum Type {
        /** {@code 1 / theta^(2i/d)}. */
        DEFAULT,
        /** Default divided by {@code factor} (positions interpolated). */
        LINEAR,
        /** Llama-3.1's wavelength-dependent scaling. */
        LLAMA3
    }

    /**
     * @param theta the base
     * @return unscaled rotary embeddings
     */
    public static RopeSpec plain(double theta) {
        return new RopeSpec(theta, Type.DEFAULT, 1, 1, 4, 8192);
    }
}
