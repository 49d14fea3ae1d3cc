package io.github.tokenprepending.eval.retrieval;

import io.github.tokenprepending.text.PythonText;
import java.util.Objects;

/**
 * One line of a BEIR {@code corpus.jsonl}.
 *
 * @param id the {@code _id}
 * @param title the {@code title}, empty when the line has none
 * @param text the {@code text}
 */
public record BeirDocument(String id, String title, String text) {

    /** @throws NullPointerException if a field is null */
    public BeirDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
    }

    /** @return the text that is embedded: {@code (title + " " + text).strip()}, as MTEB builds it for BEIR */
    public String embeddingText() {
        return PythonText.strip(title + " " + text);
    }
}
