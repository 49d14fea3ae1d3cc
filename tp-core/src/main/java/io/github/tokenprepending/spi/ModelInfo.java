package io.github.tokenprepending.spi;

/**
 * Facts about a loaded model.
 *
 * @param family the model family plug-in that runs it ({@code llama}, {@code qwen2}, {@code gemma2}, ...)
 * @param modelType the checkpoint's {@code model_type} (for example {@code mistral} run by the llama family)
 * @param numLayers number of decoder layers L
 * @param hiddenSize hidden size H (the embedding dimension)
 * @param vocabSize rows of the checkpoint's embedding matrix
 * @param maxPositions the longest sequence the model was trained for ({@code max_position_embeddings})
 * @param placeholderId the id of {@code <PST>}
 * @param bosId the begin-of-sequence id, or -1
 * @param dtype the compute dtype
 * @param device where the model runs, for example {@code cpu} or {@code cuda:0}
 * @param weightsDtype the dtype the weight matrices are kept in (may differ from the compute dtype)
 * @param dtypeReason why the compute dtype was chosen, in words
 * @param widenedLayers the leading decoder layers whose 16-bit weight matrices are kept in float32 for float32
 *     compute, so their products convert nothing (0 unless 16-bit weights run under float32 compute on a CPU)
 */
public record ModelInfo(
        String family,
        String modelType,
        int numLayers,
        int hiddenSize,
        int vocabSize,
        int maxPositions,
        int placeholderId,
        int bosId,
        DType dtype,
        String device,
        DType weightsDtype,
        String dtypeReason,
        int widenedLayers) {

    /** Validates the facts. */
    public ModelInfo {
        if (numLayers < 1 || hiddenSize < 1) {
            throw new IllegalArgumentException("a model needs at least one layer and a positive hidden size");
        }
        if (widenedLayers < 0 || widenedLayers > numLayers) {
            throw new IllegalArgumentException("widened layers must be 0 to " + numLayers + ", not "
                    + widenedLayers);
        }
    }
}
