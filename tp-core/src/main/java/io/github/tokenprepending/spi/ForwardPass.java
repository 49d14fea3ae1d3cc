package io.github.tokenprepending.spi;

/**
 * One batch going through the decoder layer by layer. Hidden states stay inside the model (on its device)
 * between calls; only the rows asked for come back to the host.
 *
 * <p>The caller ({@code TokenPrependingEncoder}) owns the loop: for each layer {@code i} in order it may
 * call {@link #prependSentenceEmbedding()} and then calls {@link #runLayer(int)}. Not thread-safe.
 */
public interface ForwardPass extends AutoCloseable {

    /**
     * The Token Prepending step: in every row that has a placeholder, the hidden state at the {@code <PST>}
     * position becomes a copy of the row's last token's hidden state, as input to the next layer. Rows
     * without a placeholder are left alone. Takes effect before the next {@link #runLayer(int)}.
     */
    void prependSentenceEmbedding();

    /**
     * Runs decoder layer {@code layer} on the current hidden states.
     *
     * @param layer the 0-based layer index; must equal {@link #layersRun()}
     * @throws IllegalStateException if layers are skipped or the plan's layer count is exceeded
     */
    void runLayer(int layer);

    /** @return how many decoder layers have run */
    int layersRun();

    /**
     * The current hidden states at one position per row, copied to the host as float32. The model's final
     * norm is applied if and only if every decoder layer of the model has run (the paper's
     * {@code hidden_states[-1]}).
     *
     * @param positions per row a position in the row's unpadded tokens
     * @return one vector per row
     */
    float[][] rowsAt(int[] positions);

    /**
     * Last-token hidden states: the sentence embeddings at the current layer.
     *
     * @return one vector per row
     */
    float[][] pooled();

    /**
     * The mean of the current hidden states over each row's positions from {@code from[r]} to its last token,
     * computed where the states live (only {@code [B, H]} comes back), the final norm applied to every position under
     * the same rule as {@link #rowsAt}. It needs every position after the final layer: plan the pass without
     * {@link PassPlan#lastTokenOnly()}.
     *
     * @param from per row the first position averaged (0 for the whole row; the prompt's length to leave it out);
     *     inside a reused prefix only when its cache {@linkplain PrefixCache#holdsFinalStates() holds the prefix's
     *     final states}
     * @param positionWeighted weight position {@code p} of a row by {@code p + 1} (sentence-transformers'
     *     {@code weightedmean} on right-padded rows) instead of equally
     * @return one vector per row
     * @throws IllegalArgumentException if a row's {@code from} is outside its tokens, or inside a reused prefix
     *     whose cache holds no final states
     * @throws UnsupportedOperationException if the engine pools the last token only (the default)
     */
    default float[][] meanPooled(int[] from, boolean positionWeighted) {
        throw new UnsupportedOperationException("this engine pools the last token only");
    }

    /** Frees the pass's tensors. */
    @Override
    void close();
}
