package io.github.tokenprepending.djl.family;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.util.Locale;

/**
 * The config.json fields every family shares, bound with {@link HfConfig#bind} like a family's own fields, and the
 * one place of their HuggingFace defaults: {@code num_key_value_heads} = {@code num_attention_heads},
 * {@code head_dim} = hidden / heads, {@code rms_norm_eps} {@value #DEFAULT_RMS_EPS}, {@code rope_theta}
 * {@value #DEFAULT_ROPE_THETA} (also read from newer transformers' {@code rope_parameters}), no RoPE scaling.
 * Null means absent.
 *
 * @param modelType {@code model_type} (required)
 * @param hiddenSize {@code hidden_size} (required)
 * @param numHiddenLayers {@code num_hidden_layers} (required)
 * @param numAttentionHeads {@code num_attention_heads} (required)
 * @param numKeyValueHeads {@code num_key_value_heads}; it must divide the attention heads
 * @param headDim {@code head_dim}
 * @param intermediateSize {@code intermediate_size} (required)
 * @param vocabSize {@code vocab_size} (required)
 * @param maxPositionEmbeddings {@code max_position_embeddings} (the default is the family's)
 * @param rmsNormEps {@code rms_norm_eps}
 * @param ropeTheta {@code rope_theta}
 * @param ropeScaling {@code rope_scaling}
 * @param ropeParameters {@code rope_parameters}, newer transformers' spelling of the two above
 * @param hiddenAct {@code hidden_act} (Llama-like families)
 * @param bosTokenId {@code bos_token_id}
 */
public record CommonConfig(
        @JsonProperty("model_type") String modelType,
        @JsonProperty("hidden_size") Integer hiddenSize,
        @JsonProperty("num_hidden_layers") Integer numHiddenLayers,
        @JsonProperty("num_attention_heads") Integer numAttentionHeads,
        @JsonProperty("num_key_value_heads") Integer numKeyValueHeads,
        @JsonProperty("head_dim") Integer headDim,
        @JsonProperty("intermediate_size") Integer intermediateSize,
        @JsonProperty("vocab_size") Integer vocabSize,
        @JsonProperty("max_position_embeddings") Integer maxPositionEmbeddings,
        @JsonProperty("rms_norm_eps") Double rmsNormEps,
        @JsonProperty("rope_theta") Double ropeTheta,
        @JsonProperty("rope_scaling") Rope ropeScaling,
        @JsonProperty("rope_parameters") Rope ropeParameters,
        @JsonProperty("hidden_act") String hiddenAct,
        @JsonProperty("bos_token_id") Integer bosTokenId) {

    /** {@code rms_norm_eps} when absent (the Llama, Qwen2 and Gemma2 default). */
    public static final double DEFAULT_RMS_EPS = 1e-6;
    /** {@code rope_theta} when absent. */
    public static final double DEFAULT_ROPE_THETA = 10000.0;

    /**
     * A {@code rope_scaling} (or {@code rope_parameters}) object; which parameters a type needs is checked by
     * {@link #rope()}.
     *
     * @param ropeType {@code rope_type}, e.g. {@code llama3}, {@code linear}, {@code dynamic}, {@code default}
     * @param type the older spelling of {@code rope_type}
     * @param factor {@code factor}
     * @param lowFreqFactor {@code low_freq_factor} (llama3)
     * @param highFreqFactor {@code high_freq_factor} (llama3)
     * @param originalMaxPositionEmbeddings {@code original_max_position_embeddings} (llama3)
     * @param ropeTheta {@code rope_theta} (only in {@code rope_parameters})
     */
    public record Rope(
            @JsonProperty("rope_type") String ropeType,
            @JsonProperty("type") String type,
            @JsonProperty("factor") Double factor,
            @JsonProperty("low_freq_factor") Double lowFreqFactor,
            @JsonProperty("high_freq_factor") Double highFreqFactor,
            @JsonProperty("original_max_position_embeddings") Integer originalMaxPositionEmbeddings,
            @JsonProperty("rope_theta") Double ropeTheta) {

        /** @return {@code rope_type}, else {@code type}, or null */
        String kind() {
            return ropeType != null ? ropeType : type;
        }
    }

    /** Checks presence, signs and the heads' consistency; the messages name the field. */
    public CommonConfig {
        if (modelType == null) {
            throw missing("model_type");
        }
        required("hidden_size", hiddenSize);
        required("num_hidden_layers", numHiddenLayers);
        required("num_attention_heads", numAttentionHeads);
        required("intermediate_size", intermediateSize);
        required("vocab_size", vocabSize);
        positive("num_key_value_heads", numKeyValueHeads);
        positive("head_dim", headDim);
        positive("max_position_embeddings", maxPositionEmbeddings);
        positive("rms_norm_eps", rmsNormEps);
        positive("rope_theta", ropeTheta);
        checkRope("rope_scaling", ropeScaling);
        checkRope("rope_parameters", ropeParameters);
        if (numKeyValueHeads != null && numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("'num_key_value_heads' (" + numKeyValueHeads
                    + ") must divide 'num_attention_heads' (" + numAttentionHeads + ")");
        }
    }

    /**
     * @param config config.json
     * @return its shared fields
     * @throws CheckpointException naming config.json and the field that is missing or malformed
     */
    public static CommonConfig of(HfConfig config) throws CheckpointException {
        return config.bind(CommonConfig.class);
    }

    /**
     * @param defaultMaxPositions the family's {@code max_position_embeddings} default
     * @return a builder with model_type, sizes, kv heads, head_dim, max positions, eps, rope and BOS set; the
     *     activation is the family's to set
     * @throws IllegalArgumentException if head_dim is absent and hidden / heads is not whole, or the RoPE scaling
     *     is unsupported
     */
    public DecoderSpec.Builder spec(int defaultMaxPositions) {
        return DecoderSpec.builder()
                .modelType(modelType)
                .hiddenSize(hiddenSize)
                .numLayers(numHiddenLayers)
                .numHeads(numAttentionHeads)
                .numKvHeads(kvHeads())
                .headDim(headDimOrQuotient())
                .intermediateSize(intermediateSize)
                .vocabSize(vocabSize)
                .maxPositions(maxPositionEmbeddings != null ? maxPositionEmbeddings : defaultMaxPositions)
                .rmsEps(rmsNormEps != null ? rmsNormEps : DEFAULT_RMS_EPS)
                .rope(rope())
                .bosId(bosTokenId != null ? bosTokenId : -1);
    }

    /** @return {@code num_key_value_heads}, by default the attention heads */
    public int kvHeads() {
        return numKeyValueHeads != null ? numKeyValueHeads : numAttentionHeads;
    }

    /**
     * @return {@code head_dim} when given, else hidden / heads
     * @throws IllegalArgumentException if that is not whole
     */
    public int headDimOrQuotient() {
        if (headDim != null) {
            return headDim;
        }
        if (hiddenSize % numAttentionHeads != 0) {
            throw new IllegalArgumentException("no 'head_dim', and 'hidden_size' (" + hiddenSize
                    + ") is not a multiple of 'num_attention_heads' (" + numAttentionHeads + ")");
        }
        return hiddenSize / numAttentionHeads;
    }

    /** @return {@code rope_theta}, else {@code rope_parameters.rope_theta}, else {@value #DEFAULT_ROPE_THETA} */
    public double theta() {
        if (ropeTheta != null) {
            return ropeTheta;
        }
        return ropeParameters != null && ropeParameters.ropeTheta() != null ? ropeParameters.ropeTheta()
                : DEFAULT_ROPE_THETA;
    }

    /**
     * Supported scalings: none ({@code default}), {@code linear}, {@code llama3}, and {@code dynamic} (identical to
     * none within {@code max_position_embeddings}, which the encoder's default token limit never exceeds).
     *
     * @return the rotary settings from {@link #theta()} and {@code rope_scaling} (else {@code rope_parameters})
     * @throws IllegalArgumentException for an unsupported scaling or one that lacks a parameter
     */
    public RopeSpec rope() {
        Rope s = ropeScaling != null ? ropeScaling : ropeParameters;
        double theta = theta();
        String kind = s == null ? "default" : s.kind().toLowerCase(Locale.ROOT);
        switch (kind) {
            case "default":
            case "dynamic":
                return RopeSpec.plain(theta);
            case "linear":
                if (s.factor() == null) {
                    throw new IllegalArgumentException("rope_scaling needs 'factor'");
                }
                return new RopeSpec(theta, RopeSpec.Type.LINEAR, s.factor(), 1, 4, 8192);
            case "llama3":
                if (s.factor() == null || s.lowFreqFactor() == null || s.highFreqFactor() == null
                        || s.originalMaxPositionEmbeddings() == null) {
                    throw new IllegalArgumentException("rope_scaling of type llama3 needs factor, low_freq_factor,"
                            + " high_freq_factor and original_max_position_embeddings");
                }
                return new RopeSpec(theta, RopeSpec.Type.LLAMA3, s.factor(), s.lowFreqFactor(), s.highFreqFactor(),
                        s.originalMaxPositionEmbeddings());
            default:
                throw new IllegalArgumentException("rope_scaling type '" + s.kind()
                        + "' is not supported (supported: linear, dynamic, llama3)");
        }
    }

    /**
     * @param config config.json, for the message
     * @param field the activation field ({@code hidden_act} or {@code hidden_activation})
     * @param value its value, or null
     * @param defaultName the family's default
     * @return the activation
     * @throws CheckpointException for an activation the blocks do not implement
     */
    public static Activation activation(HfConfig config, String field, String value, String defaultName)
            throws CheckpointException {
        try {
            return Activation.fromHf(value != null ? value : defaultName);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config.path(), "'" + field + "': " + e.getMessage());
        }
    }

    private static void checkRope(String field, Rope rope) {
        if (rope == null) {
            return;
        }
        if (rope.kind() == null) {
            throw new IllegalArgumentException("'" + field + "' has no 'rope_type' (or 'type')");
        }
        positive(field + ".factor", rope.factor());
        positive(field + ".low_freq_factor", rope.lowFreqFactor());
        positive(field + ".high_freq_factor", rope.highFreqFactor());
        positive(field + ".original_max_position_embeddings", rope.originalMaxPositionEmbeddings());
        positive(field + ".rope_theta", rope.ropeTheta());
    }

    private static void required(String field, Integer value) {
        if (value == null) {
            throw missing(field);
        }
        positive(field, value);
    }

    private static void positive(String field, Number value) {
        if (value != null && !(value.doubleValue() > 0 && Double.isFinite(value.doubleValue()))) {
            throw new IllegalArgumentException("'" + field + "' must be a positive "
                    + (value instanceof Integer ? "integer" : "number") + ", got " + value);
        }
    }

    private static IllegalArgumentException missing(String field) {
        return new IllegalArgumentException("required field '" + field + "' is missing");
    }
}
