package io.github.tokenprepending.toy;

import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.ArrayList;
import java.util.List;

/** Whitespace tokenizer for the toy model: BOS 1, words hashed into 3..vocab-1, {@code <PST>} = vocab. */
public final class ToyTokenizer implements TextTokenizer {
    private final int vocab;

    ToyTokenizer(int vocab) {
        this.vocab = vocab;
    }

    @Override
    public TokenizedPrompt encode(RenderedPrompt prompt) {
        List<Integer> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        ids.add(1);
        tokens.add("<s>");
        words(prompt.before(), ids, tokens);
        int pst = -1;
        if (prompt.hasPlaceholder()) {
            pst = ids.size();
            ids.add(vocab);
            tokens.add("<PST>");
            words(prompt.after(), ids, tokens);
        }
        return new TokenizedPrompt(ids.stream().mapToInt(Integer::intValue).toArray(), pst, tokens);
    }

    private void words(String text, List<Integer> ids, List<String> tokens) {
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                ids.add(3 + Math.floorMod(w.hashCode(), vocab - 3));
                tokens.add(w);
            }
        }
    }

    @Override
    public int placeholderId() {
        return vocab;
    }

    @Override
    public void close() {
    }
}
