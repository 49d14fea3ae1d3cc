package io.github.tokenprepending.head;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What turns the decoder's output into one vector, and the named prompts that go before a text: the
 * sentence-transformers modules after the {@code Transformer} of a trained embedder's folder ({@code Pooling},
 * {@code Dense}, {@code Normalize}, the prompts of {@code config_sentence_transformers.json}), or, for a base model,
 * just the last token.
 *
 * <p>Pooling runs on the engine's device next to the hidden states; the rest are small operations on the pooled
 * vectors. Token Prepending is orthogonal: it changes what the layers see, the head how their output becomes a
 * vector.
 *
 * @param pooling how token states become one vector
 * @param includePrompt whether the prompt's tokens take part in a mean (sentence-transformers' {@code include_prompt});
 *     the last token is always the last token
 * @param dense the Dense modules in order (may be empty)
 * @param normalize whether a {@code Normalize} module L2-normalises the result
 * @param prompts named prompts (text put before the input), in the folder's order
 * @param defaultPromptName the prompt used when a call names none, or null for the raw text
 * @param maxSeqLength the folder's {@code max_seq_length} (longer inputs are truncated), or 0 when it sets none
 * @param similarity the folder's {@code similarity_fn_name} ({@code cosine}, {@code dot}, ...), or null
 */
public record EmbeddingHead(Pooling pooling, boolean includePrompt, List<DenseLayer> dense, boolean normalize,
        Map<String, String> prompts, String defaultPromptName, int maxSeqLength, String similarity) {

    /** Validates the head. */
    public EmbeddingHead {
        Objects.requireNonNull(pooling, "pooling");
        dense = List.copyOf(dense);
        prompts = Collections.unmodifiableMap(new LinkedHashMap<>(prompts));
        if (defaultPromptName != null && !prompts.containsKey(defaultPromptName)) {
            throw new IllegalArgumentException("default_prompt_name '" + defaultPromptName + "' is not one of the"
                    + " prompts " + prompts.keySet());
        }
        if (maxSeqLength < 0) {
            throw new IllegalArgumentException("max_seq_length must be >= 0, got " + maxSeqLength);
        }
        for (int i = 1; i < dense.size(); i++) {
            if (dense.get(i).inFeatures() != dense.get(i - 1).outFeatures()) {
                throw new IllegalArgumentException("dense module " + i + " takes " + dense.get(i).inFeatures()
                        + " inputs but the one before gives " + dense.get(i - 1).outFeatures());
            }
        }
    }

    /** @return the head of a base model: the last token's state, nothing after it, no prompts */
    public static EmbeddingHead lastToken() {
        return new EmbeddingHead(Pooling.LAST_TOKEN, true, List.of(), false, Map.of(), null, 0, null);
    }

    /**
     * @param pooling another pooling mode
     * @return a copy pooling that way
     */
    public EmbeddingHead withPooling(Pooling pooling) {
        return new EmbeddingHead(pooling, includePrompt, dense, normalize, prompts, defaultPromptName, maxSeqLength,
                similarity);
    }

    /**
     * @param hiddenSize the decoder's hidden size
     * @return the size of the vectors this head gives: the last Dense module's output, else the hidden size
     * @throws IllegalArgumentException if the first Dense module does not take the hidden size
     */
    public int dimension(int hiddenSize) {
        if (dense.isEmpty()) {
            return hiddenSize;
        }
        if (dense.get(0).inFeatures() != hiddenSize) {
            throw new IllegalArgumentException("the first dense module takes " + dense.get(0).inFeatures()
                    + " inputs, but the model's hidden size is " + hiddenSize);
        }
        return dense.get(dense.size() - 1).outFeatures();
    }

    /**
     * @param pooled a pooled vector
     * @return the vector after the Dense modules and the Normalize module
     */
    public float[] apply(float[] pooled) {
        float[] v = pooled;
        for (DenseLayer layer : dense) {
            v = layer.apply(v);
        }
        return normalize ? l2Normalized(v) : v;
    }

    /**
     * @param name a prompt name
     * @return the prompt's text
     * @throws IllegalArgumentException if the head has no prompt of that name (the message lists those it has)
     */
    public String prompt(String name) {
        String text = prompts.get(name);
        if (text == null) {
            throw new IllegalArgumentException("unknown prompt name '" + name + "'"
                    + (prompts.isEmpty() ? ": the model defines no prompts" : " (the model's prompts: "
                    + String.join(", ", prompts.keySet()) + ")"));
        }
        return text;
    }

    /**
     * L2-normalises as {@code torch.nn.functional.normalize} does (divides by {@code max(norm, 1e-12)}).
     *
     * @param v a vector
     * @return a new normalised vector
     */
    public static float[] l2Normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double inv = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * inv);
        }
        return out;
    }
}
