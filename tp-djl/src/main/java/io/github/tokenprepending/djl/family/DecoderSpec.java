package io.github.tokenprepending.djl.family;

import java.util.Objects;

/**
 * The architecture numbers every family shares, read from a checkpoint's config.json by its {@link ModelFamily}.
 * Built by name through {@link #builder()}; family-specific settings (biases, soft-caps, windows) stay with the
 * family's {@link Architecture}.
 */
public final class DecoderSpec {
    private final String modelType;
    private final int hiddenSize;
    private final int numLayers;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final int intermediateSize;
    private final int vocabSize;
    private final int maxPositions;
    private final double rmsEps;
    private final RopeSpec rope;
    private final Activation activation;
    private final double embedScale;
    private final int bosId;

    private DecoderSpec(Builder b) {
        if (b.modelType == null || b.modelType.isBlank()) {
            throw new IllegalArgumentException("model_type is required");
        }
        if (b.hiddenSize < 1 || b.numLayers < 1 || b.numHeads < 1 || b.intermediateSize < 1 || b.vocabSize < 1
                || b.maxPositions < 1) {
            throw new IllegalArgumentException("sizes must be positive: hidden " + b.hiddenSize + ", layers "
                    + b.numLayers + ", heads " + b.numHeads + ", intermediate " + b.intermediateSize + ", vocab "
                    + b.vocabSize + ", max positions " + b.maxPositions);
        }
        int kvHeads = b.numKvHeads == 0 ? b.numHeads : b.numKvHeads;
        int headDim = b.headDim == 0 && b.hiddenSize % b.numHeads == 0 ? b.hiddenSize / b.numHeads : b.headDim;
        if (kvHeads < 1 || b.numHeads % kvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + b.numHeads
                    + " is not a multiple of num_key_value_heads " + kvHeads);
        }
        if (headDim < 2 || headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even and at least 2 for rotary"
                    + " embeddings");
        }
        if (!(b.rmsEps > 0) || !(b.embedScale > 0)) {
            throw new IllegalArgumentException("rms_norm_eps and the embedding scale must be positive");
        }
        this.modelType = b.modelType;
        this.hiddenSize = b.hiddenSize;
        this.numLayers = b.numLayers;
        this.numHeads = b.numHeads;
        this.numKvHeads = kvHeads;
        this.headDim = headDim;
        this.intermediateSize = b.intermediateSize;
        this.vocabSize = b.vocabSize;
        this.maxPositions = b.maxPositions;
        this.rmsEps = b.rmsEps;
        this.rope = Objects.requireNonNull(b.rope, "rope");
        this.activation = Objects.requireNonNull(b.activation, "activation");
        this.embedScale = b.embedScale;
        this.bosId = b.bosId;
    }

    /** @return a builder: rope 10000 plain, SiLU, eps 1e-6, embedding scale 1, kv heads = heads, no BOS */
    public static Builder builder() {
        return new Builder();
    }

    /** @return config.json's {@code model_type} */
    public String modelType() {
        return modelType;
    }

    /** @return H */
    public int hiddenSize() {
        return hiddenSize;
    }

    /** @return L, the decoder layers */
    public int numLayers() {
        return numLayers;
    }

    /** @return query heads */
    public int numHeads() {
        return numHeads;
    }

    /** @return key/value heads (GQA when fewer than query heads) */
    public int numKvHeads() {
        return numKvHeads;
    }

    /** @return d, the head dimension */
    public int headDim() {
        return headDim;
    }

    /** @return the MLP width */
    public int intermediateSize() {
        return intermediateSize;
    }

    /** @return embedding rows */
    public int vocabSize() {
        return vocabSize;
    }

    /** @return {@code max_position_embeddings} */
    public int maxPositions() {
        return maxPositions;
    }

    /** @return the RMSNorm epsilon */
    public double rmsEps() {
        return rmsEps;
    }

    /** @return rotary embedding settings */
    public RopeSpec rope() {
        return rope;
    }

    /** @return the MLP activation */
    public Activation activation() {
        return activation;
    }

    /** @return the multiplier of the embeddings (Gemma2: sqrt(H), else 1) */
    public double embedScale() {
        return embedScale;
    }

    /** @return config.json's begin-of-sequence id, or -1 */
    public int bosId() {
        return bosId;
    }

    @Override
    public String toString() {
        return modelType + "[hidden " + hiddenSize + ", layers " + numLayers + ", heads " + numHeads + "/"
                + numKvHeads + ", head_dim " + headDim + ", intermediate " + intermediateSize + ", vocab "
                + vocabSize + "]";
    }

    /** Named settings of a {@link DecoderSpec}; sizes have no defaults and must be set. */
    public static final class Builder {
        private String modelType;
        private int hiddenSize;
        private int numLayers;
        private int numHeads;
        private int numKvHeads;
        private int headDim;
        private int intermediateSize;
        private int vocabSize;
        private int maxPositions = 2048;
        private double rmsEps = 1e-6;
        private RopeSpec rope = RopeSpec.plain(10000.0);
        private Activation activation = Activation.SILU;
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

        /** @param v key/value heads (default: query heads) @return this */
        public Builder numKvHeads(int v) {
            numKvHeads = v;
            return this;
        }

        /** @param v head dimension (default: hidden / heads) @return this */
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

        /** @param v {@code max_position_embeddings} (default 2048) @return this */
        public Builder maxPositions(int v) {
            maxPositions = v;
            return this;
        }

        /** @param v RMSNorm epsilon (default 1e-6) @return this */
        public Builder rmsEps(double v) {
            rmsEps = v;
            return this;
        }

        /** @param v rotary settings (default: plain, base 10000) @return this */
        public Builder rope(RopeSpec v) {
            rope = v;
            return this;
        }

        /** @param v MLP activation (default SiLU) @return this */
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
            return new DecoderSpec(this);
        }
    }
}
