package io.github.tokenprepending.eval;

import java.util.List;

/**
 * Embeds sentences for evaluation; {@code TokenPrependingEncoder::embed} is one.
 */
@FunctionalInterface
public interface SentenceEmbedder {

    /**
     * @param sentences the sentences
     * @return one embedding per sentence, in input order, all of the same dimension
     */
    List<float[]> embed(List<String> sentences);
}
