package io.github.tokenprepending.prompt;

import java.util.List;
import java.util.Objects;

/**
 * The prompts a sentence is embedded with. With several prompts (MetaEOL) the embeddings are averaged.
 *
 * @param name a name for reports ({@code prompteol}, {@code metaeol}, {@code custom})
 * @param templates one or more templates
 * @param preprocessor what happens to a sentence before it goes into a template
 */
public record PromptSet(String name, List<PromptTemplate> templates, SentencePreprocessor preprocessor) {

    /** Validates the set. */
    public PromptSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(preprocessor, "preprocessor");
        if (templates == null || templates.isEmpty()) {
            throw new IllegalArgumentException("a prompt set needs at least one template");
        }
        templates = List.copyOf(templates);
    }

    /**
     * @param method one of the paper's methods
     * @return its Token Prepending templates with the paper's sentence preprocessing
     */
    public static PromptSet of(PromptMethod method) {
        return new PromptSet(method.id(), method.templates(), SentencePreprocessor.paper());
    }

    /**
     * A user-defined prompt with the paper's sentence preprocessing.
     *
     * @param template a template such as {@code This passage : <PST> "{sentence}" means in one word:"}
     * @return the set
     * @throws IllegalArgumentException if the template is invalid
     */
    public static PromptSet custom(String template) {
        return new PromptSet("custom", List.of(PromptTemplate.of(template)), SentencePreprocessor.paper());
    }

    /**
     * A trained embedder's named prompt: the text after {@code prompt}, unchanged (no preprocessing, no stripping).
     *
     * @param name the prompt's name ({@code query}, {@code document}, ...; {@code raw} for no prompt)
     * @param prompt the text before the input ({@code ""} for none)
     * @return the set
     */
    public static PromptSet prefix(String name, String prompt) {
        return new PromptSet(name, List.of(PromptTemplate.prefix(prompt)), SentencePreprocessor.none());
    }

    /**
     * @param preprocessor another preprocessing
     * @return a copy using it
     */
    public PromptSet withPreprocessor(SentencePreprocessor preprocessor) {
        return new PromptSet(name, templates, preprocessor);
    }

    /**
     * Checks that every template can be used for Token Prepending.
     *
     * @throws IllegalArgumentException naming the template without {@code <PST>}
     */
    public void requirePlaceholders() {
        for (PromptTemplate t : templates) {
            if (!t.hasPlaceholder()) {
                throw new IllegalArgumentException("Token Prepending needs a " + RenderedPrompt.PLACEHOLDER
                        + " before the sentence in every prompt; this one has none: " + t.text());
            }
        }
    }
}
