package io.github.tokenprepending.djl.golden;

import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenizedPrompt;

/** For tests that feed token ids directly: knows the placeholder id, tokenizes nothing. */
record FixedPlaceholderTokenizer(int placeholderId) implements TextTokenizer {
    @Override
    public TokenizedPrompt encode(RenderedPrompt prompt) {
        throw new UnsupportedOperationException("golden tests feed ids directly");
    }

    @Override
    public void close() {
    }
}
