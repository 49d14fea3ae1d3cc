package io.github.tokenprepending.djl.family;

/**
 * The architecture numbers of a decoder checkpoint, read from its config.json by a {@link ModelFamily}.
 *
 * @param modelType config.json's {@code model_type}
 * @param hiddenSize H
 * @param numLayers L
 * @param numHeads query heads
 * @param numKvHeads key/value heads (GQA when fewer than query heads)
 * @param headDim d
 * @param intermediateSize MLP width
 * @param vocabSize embedding rows
 * @param maxPositions {@code max_position_embeddings}
 * @param rmsEps RMSNorm epsilon
 * @param rope rotary embedding settings
 * @param activation MLP activation
 * @param embedScale multiplier of the embeddings (Gemma2: sqrt(H), else 1)
 * @param attentionBias whether q/k/v (and o, per {@code oBias}) have biases
 * @param oBias whether the output projection has a bias
 * @param slidingWindow sliding attention window (keys {@code i-W < j <= i}) on the layers the block says, or 0
 * @param attentionScale multiplier of the attention scores (usually {@code 1/sqrt(head_dim)})
 * @param attentionSoftcap attention logit soft-cap {@code tanh(s/c)*c}, or 0 for none
 * @param bosId begin-of-sequence id from config.json, or -1
 */
public record DecoderSpec(
        String modelType,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        int maxPositions,
        double rmsEps,
        RopeSpec rope,
        Activation activation,
        double embedScale,
        boolean attentionBias,
        boolean oBias,
        int slidingWindow,
        double attentionScale,
        double attentionSoftcap,
        int bosId) {

    /**
     * Checks the numbers fit together.
     *
     * @throws IllegalArgumentException naming the inconsistency
     */
    public DecoderSpec {
        if (hiddenSize < 1 || numLayers < 1 || numHeads < 1 || numKvHeads < 1 || headDim < 2
                || intermediateSize < 1 || vocabSize < 1 || maxPositions < 1) {
            throw new IllegalArgumentException("sizes must be positive (head_dim at least 2)");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " must be even for rotary embeddings");
        }
        if (slidingWindow < 0 || attentionSoftcap < 0) {
            throw new IllegalArgumentException("sliding window and soft-cap must not be negative");
        }
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads
                    + " is not a multiple of num_key_value_heads " + numKvHeads);
        }
    }
}
