package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.checkpoint.RopeScaling;
import java.util.Locale;
import java.util.Optional;

/** Config readings several families share. */
public final class HfSpecs {
    private HfSpecs() {
    }

    /**
     * @param config config.json
     * @param defaultMaxPositions the family's {@code max_position_embeddings} default
     * @return a builder with the fields every family reads alike: model_type, hidden, layers, heads, kv heads,
     *     intermediate, vocab, max positions, {@code rms_norm_eps}, {@code bos_token_id}
     * @throws CheckpointException naming the field that is missing or malformed
     */
    public static DecoderSpec.Builder common(HfConfig config, int defaultMaxPositions) throws CheckpointException {
        return DecoderSpec.builder()
                .modelType(config.modelType())
                .hiddenSize(config.hiddenSize())
                .numLayers(config.numHiddenLayers())
                .numHeads(config.numAttentionHeads())
                .numKvHeads(config.numKeyValueHeads())
                .intermediateSize(config.intermediateSize())
                .vocabSize(config.vocabSize())
                .maxPositions(config.maxPositionEmbeddings(defaultMaxPositions))
                .rmsEps(config.rmsNormEps())
                .bosId(config.bosTokenId().orElse(-1));
    }

    /**
     * Reads {@code rope_theta} and {@code rope_scaling}. Supported scalings: none, {@code linear}, {@code llama3},
     * and {@code dynamic} (identical to none within {@code max_position_embeddings}, which the encoder's default
     * token limit never exceeds).
     *
     * @param config config.json
     * @param defaultTheta the family's default base
     * @return the rotary settings
     * @throws CheckpointException for an unsupported scaling
     */
    public static RopeSpec rope(HfConfig config, double defaultTheta) throws CheckpointException {
        double theta = config.has("rope_theta") || config.has("rope_parameters") ? config.ropeTheta() : defaultTheta;
        Optional<RopeScaling> scaling = config.ropeScaling();
        if (scaling.isEmpty()) {
            return RopeSpec.plain(theta);
        }
        RopeScaling s = scaling.get();
        String type = s.type() == null ? "default" : s.type().toLowerCase(Locale.ROOT);
        switch (type) {
            case "default":
            case "dynamic":
                return RopeSpec.plain(theta);
            case "linear":
                return new RopeSpec(theta, RopeSpec.Type.LINEAR, require(config, s.factor().isPresent(), "factor",
                        s.factor().orElse(1)), 1, 4, 8192);
            case "llama3":
                if (s.factor().isEmpty() || s.lowFreqFactor().isEmpty() || s.highFreqFactor().isEmpty()
                        || s.originalMaxPositionEmbeddings().isEmpty()) {
                    throw new CheckpointException(config.path(), "rope_scaling of type llama3 needs factor,"
                            + " low_freq_factor, high_freq_factor and original_max_position_embeddings");
                }
                return new RopeSpec(theta, RopeSpec.Type.LLAMA3, s.factor().getAsDouble(),
                        s.lowFreqFactor().getAsDouble(), s.highFreqFactor().getAsDouble(),
                        s.originalMaxPositionEmbeddings().getAsInt());
            default:
                throw new CheckpointException(config.path(), "rope_scaling type '" + s.type()
                        + "' is not supported (supported: linear, dynamic, llama3)");
        }
    }

    private static double require(HfConfig config, boolean present, String field, double value)
            throws CheckpointException {
        if (!present) {
            throw new CheckpointException(config.path(), "rope_scaling needs '" + field + "'");
        }
        return value;
    }

    /**
     * @param config config.json
     * @param field the activation field ({@code hidden_act} or {@code hidden_activation})
     * @param value its value, if set
     * @param defaultName the family's default
     * @return the activation
     * @throws CheckpointException for an activation the blocks do not implement
     */
    public static Activation activation(HfConfig config, String field, Optional<String> value, String defaultName)
            throws CheckpointException {
        String name = value.orElse(defaultName);
        try {
            return Activation.fromHf(name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), "'" + field + "': " + e.getMessage());
        }
    }
}
