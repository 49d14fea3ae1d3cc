package io.github.tokenprepending.djl.tokenizer;

/**
 * What happens to a model's special tokens ({@code <s>}, {@code <bos>}, {@code <|endoftext|>}, ...) when their
 * text appears in a prompt, for instance inside a user's sentence.
 */
public enum SpecialTokenText {
    /**
     * As {@code tokenizer_config.json} says ({@code split_special_tokens}, false when absent), like
     * transformers' {@code AutoTokenizer}. The official Token Prepending code runs this way.
     */
    AS_CONFIGURED,
    /**
     * Special-token text becomes the special token's id, like transformers with
     * {@code split_special_tokens=False}: {@code "a <s> b"} holds id 1 with Llama-2.
     */
    MATCHED,
    /**
     * Special-token text is tokenized as ordinary text, like transformers with
     * {@code split_special_tokens=True}. Added tokens that are not special (Gemma's {@code <s>}, for
     * instance) are still matched, as in transformers.
     */
    SPLIT
}
