package io.github.tokenprepending.conformance;

import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.ArrayList;
import java.util.List;

/**
 * A whitespace tokenizer for models without a real one (random test checkpoints): BOS first, each word hashed into
 * ids {@code firstWordId..vocab-1}, the template's placeholder as {@code placeholderId}.
 */
public final class HashingTokenizer implements TextTokenizer {
    private final int vocab;
    private final int firstWordId;
    private final int bosId;
    private final int placeholderId;

    /**
     * @param vocab word ids stay below this
     * @param firstWordId the smallest word id (ids below are special)
     * @param bosId the id put first
     * @param placeholderId the id of {@code <PST>}
     */
    public HashingTokenizer(int vocab, int firstWordId, int bosId, int placeholderId) {
        this.vocab = vocab;
        this.firstWordId = firstWordId;
        this.bosId = bosId;
        this.placeholderId = placeholderId;
    }

    @Override
    public TokenizedPrompt encode(RenderedPrompt prompt) {
        List<Integer> ids = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        ids.add(bosId);
        tokens.add("<s>");
        words(prompt.before(), ids, tokens);
        int pst = -1;
        if (prompt.hasPlaceholder()) {
            pst = ids.size();
            ids.add(placeholderId);
            tokens.add("<PST>");
            words(prompt.after(), ids, tokens);
        }
        return new TokenizedPrompt(ids.stream().mapToInt(Integer::intValue).toArray(), pst, tokens);
    }

    private void words(String text, List<Integer> ids, List<String> tokens) {
        for (String w : text.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                ids.add(firstWordId + Math.floorMod(w.hashCode(), vocab - firstWordId));
                tokens.add(w);
            }
        }
    }

    @Override
    public int placeholderId() {
        return placeholderId;
    }

    @Override
    public void close() {
    }
}
