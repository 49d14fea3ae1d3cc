package io.github.tokenprepending;

import io.github.tokenprepending.prompt.PromptMethod;

/**
 * A model's recommended Token Prepending settings.
 *
 * @param name the preset's name ({@code llama-2-7b}, ...)
 * @param method the prompt method
 * @param outputLayer where the embedding is read
 * @param tp the Token Prepending layer range
 * @param source where the numbers come from
 */
public record Preset(String name, PromptMethod method, OutputLayer outputLayer, TpRange tp, String source) {

    /**
     * @param base settings to start from (batching, normalisation, ...)
     * @return {@code base} with this preset's prompt, output layer and TP range
     */
    public TpConfig.Builder applyTo(TpConfig.Builder base) {
        return base.prompt(method).outputLayer(outputLayer).tp(tp);
    }
}
