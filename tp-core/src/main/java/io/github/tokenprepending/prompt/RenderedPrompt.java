package io.github.tokenprepending.prompt;

import java.util.Objects;

/**
 * A prompt with the sentence filled in, as text around an optional {@code <PST>} placeholder.
 *
 * <p>The placeholder is structural: it exists only where the template put it. A {@code <PST>} typed inside
 * the sentence stays ordinary text in {@link #after()}.
 *
 * @param before the text before the placeholder (the whole prompt when there is no placeholder)
 * @param after the text after the placeholder (empty when there is none)
 * @param hasPlaceholder whether the template's {@code <PST>} sits between {@code before} and {@code after}
 */
public record RenderedPrompt(String before, String after, boolean hasPlaceholder) {

    /** The placeholder marker in templates and in {@link #text()}. */
    public static final String PLACEHOLDER = "<PST>";

    /** Validates the fields. */
    public RenderedPrompt {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (!hasPlaceholder && !after.isEmpty()) {
            throw new IllegalArgumentException("a prompt without placeholder keeps all its text in 'before'");
        }
    }

    /**
     * @param text the whole prompt
     * @return a prompt without placeholder
     */
    public static RenderedPrompt plain(String text) {
        return new RenderedPrompt(text, "", false);
    }

    /**
     * @param before text before {@code <PST>}
     * @param after text after {@code <PST>}
     * @return a prompt with the placeholder between the two
     */
    public static RenderedPrompt withPlaceholder(String before, String after) {
        return new RenderedPrompt(before, after, true);
    }

    /** @return the prompt as the official code tokenizes it, with the literal {@code <PST>} */
    public String text() {
        return hasPlaceholder ? before + PLACEHOLDER + after : before;
    }
}
