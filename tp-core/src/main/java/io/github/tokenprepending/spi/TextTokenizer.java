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

    /**
     * Tokenizes one prompt and cuts it to at most {@code maxTokens} tokens as the HuggingFace tokenizer's truncation
     * does (sentence-transformers' {@code max_seq_length}): the special tokens around the text stay, the text's last
     * tokens go.
     *
     * @param prompt the rendered prompt
     * @param maxTokens the most tokens kept
     * @return ids and, if the prompt has a placeholder, its index
     * @throws UnsupportedOperationException if the tokenizer cannot cut by tokens (the default)
     */
    default TokenizedPrompt encode(RenderedPrompt prompt, int maxTokens) {
        throw new UnsupportedOperationException("this tokenizer does not truncate by tokens");
    }

    /**
     * @param id a token id
     * @return whether the tokenizer counts it as a special token (BOS, EOS, padding, ...): sentence-transformers
     *     leaves a prompt's trailing special token out of the prompt's length; false by default
     */
    default boolean isSpecial(int id) {
        return false;
    }

    /** @return the id of {@code <PST>}: the tokenizer's size before the placeholder was added */
    int placeholderId();

    /** Releases native resources; further calls fail. */
    @Override
    void close();
}
