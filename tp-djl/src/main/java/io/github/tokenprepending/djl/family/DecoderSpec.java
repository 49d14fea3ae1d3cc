package io.github.tokenprepending.djl.family;

import java.util.Objects;

/**
 * The architecture numbers every family shares, read from a checkpoint's config.json by its {@link ModelFamily}
 * (usually through {@link CommonConfig#spec}). Family-specific settings (biases, soft-caps, windows) stay with the
 * family's {@link Architecture}.
 *
 * @param modelType config.json's {@code model_type}
 * @param hiddenSize H
 * @param numLayers L, the decoder layers
 * @param numHeads query heads
 * @param numKvHeads key/value heads (GQA when fewer than query heads)
 * @param headDim d, the head dimension
 * @param intermediateSize the MLP width
 * @param vocabSize embedding rows
 * @param maxPositions {@code max_position_embeddings}
 * @param rmsEps the RMSNorm epsilon
 * @param rope rotary embedding settings
 * @param activation the MLP activation
 * @param embedScale the multiplier of the embeddings (Gemma2: sqrt(H), else 1)
 * @param bosId config.json's begin-of-sequence id, or -1
 */
public record DecoderSpec(String modelType, int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
        int intermediateSize, int vocabSize, int maxPositions, double rmsEps, RopeSpec rope, Activation activation,
        double embedScale, int bosId) {

    /**
     * @throws IllegalArgumentException naming the inconsistency
     */
    public DecoderSpec {
        if (modelType == null || modelType.isBlank()) {
            throw new IllegalArgumentException("model_type is required");
        }
        if (hiddenSize < 1 || numLayers < 1 || numHeads < 1 || intermediateSize < 1 || vocabSize < 1
                || maxPositions < 1) {
            throw new IllegalArgumentException("sizes must be positive: hidden " + hiddenSize + ", layers "
                    + numLayers + ", heads " + numHeads + ", intermediate " + intermediateSize + ", vocab "
                    + vocabSize + ", max positions " + maxPositions);
        }
        if (numKvHeads < 1 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
        if (headDim < 2 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even and at least 2 for rotary"
                    + " embeddings");
        }
        if (!(rmsEps > 0) || !(embedScale > 0)) {
            throw new IllegalArgumentException("rms_norm_eps and the embedding scale must be positive");
        }
        Objects.requireNonNull(rope, "rope");
        Objects.requireNonNull(activation, "activation");
    }

    /** @return a builder; every setting but the embedding scale (1) and the BOS id (-1) must be set */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return modelType + "[hidden " + hiddenSize + ", layers " + numLayers + ", heads " + numHeads + "/"
                + numKvHeads + ", head_dim " + headDim + ", intermediate " + intermediateSize + ", vocab "
                + vocabSize + "]";
    }

    /**
     * Named settings of a {@link DecoderSpec}. Only the embedding scale (1) and the BOS id (none) have defaults:
     * config.json's defaults are {@link CommonConfig}'s.
     */
    public static final class Builder {
        private String modelType;
        private int hiddenSize;
        private int numLayers;
        private int numHeads;
        private int numKvHeads;
        private int headDim;
        private int intermediateSize;
        private int vocabSize;
        private int maxPositions;
        private double rmsEps;
        private RopeSpec rope;
        private Activation activation;
        private double embedScale = 1.0;
        private int bosId = -1;

        private Builder() {
        }

        /** @param v config.json's {@code model_type} @return this */
        public Builder modelType(String v) {
            modelType = v;
            return this;
        }

        /** @param v H @return this */
        public Builder hiddenSize(int v) {
            hiddenSize = v;
            return this;
        }

        /** @param v decoder layers @return this */
        public Builder numLayers(int v) {
            numLayers = v;
            return this;
        }

        /** @param v query heads @return this */
        public Builder numHeads(int v) {
            numHeads = v;
            return this;
        }

        /** @param v key/value heads @return this */
        public Builder numKvHeads(int v) {
            numKvHeads = v;
            return this;
        }

        /** @param v head dimension @return this */
        public Builder headDim(int v) {
            headDim = v;
            return this;
        }

        /** @param v MLP width @return this */
        public Builder intermediateSize(int v) {
            intermediateSize = v;
            return this;
        }

        /** @param v embedding rows @return this */
        public Builder vocabSize(int v) {
            vocabSize = v;
            return this;
        }

        /** @param v {@code max_position_embeddings} @return this */
        public Builder maxPositions(int v) {
            maxPositions = v;
            return this;
        }

        /** @param v RMSNorm epsilon @return this */
        public Builder rmsEps(double v) {
            rmsEps = v;
            return this;
        }

        /** @param v rotary settings @return this */
        public Builder rope(RopeSpec v) {
            rope = v;
            return this;
        }

        /** @param v MLP activation @return this */
        public Builder activation(Activation v) {
            activation = v;
            return this;
        }

        /** @param v embedding multiplier (default 1) @return this */
        public Builder embedScale(double v) {
            embedScale = v;
            return this;
        }

        /** @param v begin-of-sequence id, or -1 (default) @return this */
        public Builder bosId(int v) {
            bosId = v;
            return this;
        }

        /**
         * @return the spec
         * @throws IllegalArgumentException naming the inconsistency
         */
        public DecoderSpec build() {
            return new DecoderSpec(modelType, hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize,
                    vocabSize, maxPositions, rmsEps, rope, activation, embedScale, bosId);
        }
    }
}
