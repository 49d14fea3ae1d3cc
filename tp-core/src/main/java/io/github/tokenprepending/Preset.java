package io.github.tokenprepending;

import io.github.tokenprepending.prompt.PromptMethod;

/**
 * A model's recommended Token Prepending settings.
 *
 * @param name the preset's name ({@code llama-2-7b}, ...)
 * @param method the prompt method, or null for a trained embedder (its folder's own prompts and head)
 * @param outputLayer where the embedding is read
 * @param tp the Token Prepending layer range, or null for none (a trained embedder runs as trained)
 * @param source where the numbers come from
 */
public record Preset(String name, PromptMethod method, OutputLayer outputLayer, TpRange tp, String source) {

    /**
     * @param base settings to start from (batching, normalisation, ...)
     * @return {@code base} with this preset's prompt (if it names one), output layer and TP range
     */
    public TpConfig.Builder applyTo(TpConfig.Builder base) {
        if (method != null) {
            base.prompt(method);
        }
        return base.outputLayer(outputLayer).tp(tp);
    }

    /** @return true for a trained embedder's preset: the folder's prompts and head, the last layer, no TP */
    public boolean isEmbedder() {
        return method == null;
    }
}
