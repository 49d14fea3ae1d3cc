/**
 * Tokenization of Token Prepending prompts with a model's HuggingFace tokenizer files on DJL's native
 * tokenizers, id for id as the official code does it: {@link io.github.tokenprepending.djl.tokenizer.HfTextTokenizer}.
 */
package io.github.tokenprepending.djl.tokenizer;
