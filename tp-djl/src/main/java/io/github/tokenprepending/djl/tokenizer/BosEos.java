package io.github.tokenprepending.djl.tokenizer;

/**
 * Where a prompt's BOS and EOS come from.
 *
 * @param fromPostProcessor true: tokenizer.json's post-processor adds whatever it adds; false: the ids below
 * @param bosId the id put first, or -1
 * @param bosToken its text (null without BOS)
 * @param eosId the id put last, or -1
 * @param eosToken its text (null without EOS)
 */
record BosEos(boolean fromPostProcessor, int bosId, String bosToken, int eosId, String eosToken) {
    /** Special tokens as tokenizer.json's own post-processor adds them. */
    static final BosEos POST_PROCESSOR = new BosEos(true, -1, null, -1, null);
}
