package io.github.tokenprepending.spi;

import io.github.tokenprepending.prompt.RenderedPrompt;

/**
 * Turns rendered prompts into token ids exactly as the model's HuggingFace tokenizer does, with the
 * {@code <PST>} placeholder as an added token.
 *
 * <p>Only the placeholder that the template put into the prompt becomes {@code <PST>}: the literal text
 * {@code <PST>} inside a user's sentence is ordinary text. Implementations are thread-safe.
 */
public interface TextTokenizer extends AutoCloseable {

    /**
     * Tokenizes one prompt, special tokens (BOS where the model's tokenizer adds one) included and never
     * truncated.
     *
     * @param prompt the rendered prompt
     * @return ids and, if the prompt has a placeholder, its index
     */
    TokenizedPrompt encode(RenderedPrompt prompt);

    /** @return the id of {@code <PST>}: the tokenizer's size before the placeholder was added */
    int placeholderId();

    /** Releases native resources; further calls fail. */
    @Override
    void close();
}
