package io.github.tokenprepending;

/**
 * Where the sentence embedding is read: the last token's hidden state after some number of decoder layers.
 * Layers after it are never run (early exit).
 *
 * <p>Two ways to name it:
 * <ul>
 *   <li>{@link #hiddenStates(int)}: the paper's / HuggingFace {@code output.hidden_states} index, as in the
 *       official config: {@code 0} = embeddings, {@code k} = output of decoder layer {@code k-1},
 *       {@code -1} (= {@code L}) = the final-normed output of the last layer, {@code -2} = the raw output of layer
 *       {@code L-2}. Llama-2-7B's {@code 27} is the output of decoder layer 26.</li>
 *   <li>{@link #afterLayer(int)}: the output of 0-based decoder layer {@code k}; the last layer's output is
 *       final-normed (it is {@code hidden_states[-1]}).</li>
 * </ul>
 */
public final class OutputLayer {
    private final boolean paperIndex;
    private final int index;

    private OutputLayer(boolean paperIndex, int index) {
        this.paperIndex = paperIndex;
        this.index = index;
    }

    /**
     * @param index a {@code hidden_states} index, negative counting from the end ({@code -1} = last)
     * @return the output layer
     */
    public static OutputLayer hiddenStates(int index) {
        return new OutputLayer(true, index);
    }

    /**
     * @param layer a 0-based decoder layer, {@code >= 0}
     * @return the output of that layer
     */
    public static OutputLayer afterLayer(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("decoder layer must be >= 0, got " + layer);
        }
        return new OutputLayer(false, layer);
    }

    /** @return the final-normed output of the last layer ({@code hidden_states[-1]}), the vanilla default */
    public static OutputLayer last() {
        return hiddenStates(-1);
    }

    /**
     * Parses {@code 27}, {@code -2} (hidden_states indices) or {@code after:26} / {@code layer:26}.
     *
     * @param text the text
     * @return the output layer
     */
    public static OutputLayer parse(String text) {
        String t = text.trim();
        try {
            if (t.startsWith("after:") || t.startsWith("layer:")) {
                return afterLayer(Integer.parseInt(t.substring(t.indexOf(':') + 1)));
            }
            return hiddenStates(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("output layer '" + text
                    + "' is neither a hidden_states index (27, -2) nor after:K", e);
        }
    }

    /**
     * How many decoder layers run to reach this output.
     *
     * @param numLayers the model's decoder layers L
     * @return a number in {@code 0..L}; {@code L} means the output is final-normed
     * @throws IllegalArgumentException if the index is outside the model
     */
    public int layersToRun(int numLayers) {
        if (paperIndex) {
            int k = index < 0 ? index + numLayers + 1 : index;
            if (k < 0 || k > numLayers) {
                throw new IllegalArgumentException("output layer hidden_states[" + index + "] is outside a model"
                        + " with " + numLayers + " layers (valid: " + (-numLayers - 1) + ".." + numLayers + ")");
            }
            return k;
        }
        if (index >= numLayers) {
            throw new IllegalArgumentException("output after decoder layer " + index + " is outside a model with "
                    + numLayers + " layers (valid: 0.." + (numLayers - 1) + ")");
        }
        return index + 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputLayer other && other.paperIndex == paperIndex && other.index == index;
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(paperIndex) * 31 + index;
    }

    @Override
    public String toString() {
        return paperIndex ? Integer.toString(index) : "after:" + index;
    }
}
