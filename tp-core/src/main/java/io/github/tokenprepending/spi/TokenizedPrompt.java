package io.github.tokenprepending.spi;

import java.util.List;

/**
 * One prompt as token ids.
 *
 * @param ids token ids, special tokens (such as BOS) included
 * @param placeholderIndex index of the template's {@code <PST>} in {@code ids}, or -1 for a prompt without one
 * @param tokens the token strings, for display only (may be empty)
 */
public record TokenizedPrompt(int[] ids, int placeholderIndex, List<String> tokens) {
    /** Validates the fields. */
    public TokenizedPrompt {
        if (ids == null || ids.length == 0) {
            throw new IllegalArgumentException("a tokenized prompt needs at least one token");
        }
        if (placeholderIndex < -1 || placeholderIndex >= ids.length) {
            throw new IllegalArgumentException("placeholder index " + placeholderIndex + " outside "
                    + ids.length + " tokens");
        }
        ids = ids.clone();
        tokens = List.copyOf(tokens);
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** @return number of tokens */
    public int length() {
        return ids.length;
    }
}
