package io.github.tokenprepending.prompt;

import io.github.tokenprepending.text.PythonText;
import java.util.Objects;

/**
 * A prompt with a sentence slot and, for Token Prepending, one {@code <PST>} placeholder before it.
 *
 * <p>The sentence slot is written {@code {sentence}} or, as in the official code, {@code *sent 0*}. Rendering
 * substitutes the (preprocessed) sentence and strips leading and trailing whitespace of the whole prompt, as
 * the official code's {@code prompt.replace('*sent 0*', s).strip()} does.
 */
public final class PromptTemplate {
    /** The sentence slot of user templates. */
    public static final String SENTENCE = "{sentence}";
    /** The sentence slot as the official code writes it. */
    public static final String OFFICIAL_SENTENCE = "*sent 0*";

    private final String template;
    private final String beforePlaceholder;
    private final String beforeSentence;
    private final String afterSentence;
    private final boolean placeholder;
    private final boolean raw;

    private PromptTemplate(String template, String beforePlaceholder, String beforeSentence,
            String afterSentence, boolean placeholder) {
        this(template, beforePlaceholder, beforeSentence, afterSentence, placeholder, false);
    }

    private PromptTemplate(String template, String beforePlaceholder, String beforeSentence,
            String afterSentence, boolean placeholder, boolean raw) {
        this.template = template;
        this.beforePlaceholder = beforePlaceholder;
        this.beforeSentence = beforeSentence;
        this.afterSentence = afterSentence;
        this.placeholder = placeholder;
        this.raw = raw;
    }

    /**
     * A trained embedder's prompt: the text goes right after {@code prompt}, nothing is stripped, as
     * sentence-transformers concatenates {@code prompt + text}. For Token Prepending the {@code <PST>} sits between
     * the two ({@link #vanilla()} drops it).
     *
     * @param prompt the text before the input ({@code ""} for the raw text)
     * @return the template, with a placeholder
     */
    public static PromptTemplate prefix(String prompt) {
        Objects.requireNonNull(prompt, "prompt");
        return new PromptTemplate(prompt + RenderedPrompt.PLACEHOLDER + SENTENCE, prompt, "", "", true, true);
    }

    /**
     * Parses a template.
     *
     * @param template text with exactly one sentence slot and at most one {@code <PST>}, placed before the slot
     * @return the template
     * @throws IllegalArgumentException naming what is wrong
     */
    public static PromptTemplate of(String template) {
        Objects.requireNonNull(template, "template");
        String slot = template.contains(SENTENCE) ? SENTENCE : OFFICIAL_SENTENCE;
        int slotAt = template.indexOf(slot);
        if (slotAt < 0) {
            throw new IllegalArgumentException("prompt template has no sentence slot (write " + SENTENCE
                    + " where the sentence goes): " + template);
        }
        if (template.indexOf(slot, slotAt + 1) >= 0
                || (slot.equals(SENTENCE) && template.contains(OFFICIAL_SENTENCE))) {
            throw new IllegalArgumentException("prompt template has more than one sentence slot: " + template);
        }
        String marker = RenderedPrompt.PLACEHOLDER;
        int pst = template.indexOf(marker);
        if (pst >= 0 && template.indexOf(marker, pst + 1) >= 0) {
            throw new IllegalArgumentException("prompt template has more than one " + marker
                    + "; Token Prepending needs exactly one: " + template);
        }
        if (pst > slotAt) {
            throw new IllegalArgumentException(marker + " must come before the sentence slot, so that the"
                    + " sentence's tokens can attend to it: " + template);
        }
        String afterSentence = template.substring(slotAt + slot.length());
        if (pst < 0) {
            return new PromptTemplate(template, template.substring(0, slotAt), null, afterSentence, false);
        }
        return new PromptTemplate(template, template.substring(0, pst),
                template.substring(pst + marker.length(), slotAt), afterSentence, true);
    }

    /**
     * @return whether this is a trained embedder's prompt ({@link #prefix}): the text follows it unchanged, and a
     *     long prompt is cut by tokens as sentence-transformers cuts it, not by the sentence's characters
     */
    public boolean isPrefix() {
        return raw;
    }

    /** @return whether the template has a {@code <PST>} placeholder */
    public boolean hasPlaceholder() {
        return placeholder;
    }

    /** @return the template text */
    public String text() {
        return template;
    }

    /**
     * The vanilla variant: the template without {@code <PST>} and one space next to it, as the paper's
     * vanilla prompts are written ({@code This sentence : "*sent 0*" ...}).
     *
     * @return the template without placeholder (itself if it has none)
     */
    public PromptTemplate vanilla() {
        if (!placeholder) {
            return this;
        }
        if (raw) {
            return new PromptTemplate(beforePlaceholder + SENTENCE, beforePlaceholder, null, "", false, true);
        }
        String marker = RenderedPrompt.PLACEHOLDER;
        String without;
        if (template.contains(marker + " ")) {
            without = template.replace(marker + " ", "");
        } else if (template.contains(" " + marker)) {
            without = template.replace(" " + marker, "");
        } else {
            without = template.replace(marker, "");
        }
        return of(without);
    }

    /**
     * Renders the template with a sentence that is already preprocessed.
     *
     * @param sentence the sentence as it goes into the prompt
     * @return the prompt, stripped of surrounding whitespace
     */
    public RenderedPrompt render(String sentence) {
        Objects.requireNonNull(sentence, "sentence");
        if (raw) {
            return placeholder ? RenderedPrompt.withPlaceholder(beforePlaceholder, sentence)
                    : RenderedPrompt.plain(beforePlaceholder + sentence);
        }
        if (!placeholder) {
            return RenderedPrompt.plain(strip(beforePlaceholder + sentence + afterSentence));
        }
        String before = PythonText.lstrip(beforePlaceholder);
        String after = PythonText.rstrip(beforeSentence + sentence + afterSentence);
        return RenderedPrompt.withPlaceholder(before, after);
    }

    private static String strip(String s) {
        return PythonText.rstrip(PythonText.lstrip(s));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTemplate other && other.template.equals(template) && other.raw == raw;
    }

    @Override
    public int hashCode() {
        return template.hashCode() * 31 + (raw ? 1 : 0);
    }

    @Override
    public String toString() {
        return template;
    }
}
