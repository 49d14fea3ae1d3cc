package io.github.tokenprepending.prompt;

import java.util.List;
import java.util.Locale;

/**
 * The paper's prompt methods, with the Token Prepending templates exactly as in the official evaluate.py. The
 * vanilla variants are {@link PromptTemplate#vanilla()} of these.
 */
public enum PromptMethod {
    /** PromptEOL (Jiang et al., 2023). */
    PROMPTEOL("prompteol", List.of(
            "This sentence : <PST> \"*sent 0*\" means in one word:\"")),

    /** Pretended Chain of Thought (Zhang et al., 2024). */
    PRETENDED_COT("cot", List.of(
            "After thinking step by step , this sentence : <PST> \"*sent 0*\" means in one word:\"")),

    /** Knowledge Enhancement (Zhang et al., 2024). */
    KNOWLEDGE_ENHANCEMENT("ke", List.of(
            "The essence of a sentence is often captured by its main subjects and actions, while descriptive"
                    + " terms provide additional but less central details. With this in mind , this sentence :"
                    + " <PST> \"*sent 0*\" means in one word:\"")),

    /** MetaEOL (Lei et al., 2024): eight task prompts whose embeddings are averaged. */
    METAEOL("metaeol", List.of(
            "In this task, you're presented with a text excerpt. Your task is to categorize the excerpt into a"
                    + " broad category such as 'Education', 'Technology', 'Health', 'Business', 'Environment',"
                    + " 'Politics', or 'Culture'. These categories help in organizing content for better"
                    + " accessibility and targeting. For this task, this sentence : <PST> \"*sent 0*\" should be"
                    + " classified under one general category in one word:\"",
            "In this task, you're given a statement and you need to determine whether it's presenting an"
                    + " 'Opinion' or a 'Fact'. This distinction is vital for information verification, educational"
                    + " purposes, and content analysis. For this task, this sentence : <PST> \"*sent 0*\""
                    + " discriminates between opinion and fact in one word:\"",
            "In this task, you're given a review from an online platform. Your task is to generate a rating for"
                    + " the product based on the review on a scale of 1-5, where 1 means 'extremely negative' and"
                    + " 5 means 'extremely positive'. For this task, this sentence : <PST> \"*sent 0*\" reflects"
                    + " the sentiment in one word:\"",
            "In this task, you're reading a personal diary entry. Your task is to identify the predominant"
                    + " emotion expressed, such as joy, sadness, anger, fear, or love. For this task, this"
                    + " sentence : <PST> \"*sent 0*\" conveys the emotion in one word:\"",
            "In this task, you're presented with two sentences. Your task is to assess whether the sentences"
                    + " convey the same meaning. Use 'identical', 'similar', 'different', or 'unrelated' to"
                    + " describe the relationship. To enhance the performance of this task, this sentence : <PST>"
                    + " \"*sent 0*\" means in one word:\"",
            "In this task, you're given a sentence and a phrase. Your task is to determine if the phrase can be"
                    + " a contextual synonym within the given sentence. Options include 'yes', 'no', or"
                    + " 'partially'. To enhance the performance of this task, this sentence : <PST> \"*sent 0*\""
                    + " means in one word:\"",
            "In this task, you're examining a news article. Your task is to extract the most critical fact from"
                    + " the article. For this task, this sentence : <PST> \"*sent 0*\" encapsulates the key fact"
                    + " in one word:\"",
            "In this task, you're reviewing a scientific abstract. Your task is to identify the main entities"
                    + " (e.g., proteins, diseases) and their relations (e.g., causes, treats). For this task, this"
                    + " sentence : <PST> \"*sent 0*\" highlights the primary entity or relation in one word:\""));

    private final String id;
    private final List<PromptTemplate> templates;

    PromptMethod(String id, List<String> templates) {
        this.id = id;
        this.templates = templates.stream().map(PromptTemplate::of).toList();
    }

    /** @return the short name used by the official code and the command line ({@code prompteol}, {@code cot}, ...) */
    public String id() {
        return id;
    }

    /** @return the Token Prepending templates, each with one {@code <PST>} */
    public List<PromptTemplate> templates() {
        return templates;
    }

    /**
     * Parses a method name: the short names, the enum names, and common spellings
     * ({@code pretended-cot}, {@code knowledge}).
     *
     * @param name the name
     * @return the method
     * @throws IllegalArgumentException for an unknown name
     */
    public static PromptMethod parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (PromptMethod m : values()) {
            if (m.id.equals(n) || m.name().toLowerCase(Locale.ROOT).equals(n)) {
                return m;
            }
        }
        switch (n) {
            case "pretended_cot": case "pcot": return PRETENDED_COT;
            case "knowledge": case "knowledge_enhancement": return KNOWLEDGE_ENHANCEMENT;
            case "eol": return PROMPTEOL;
            default:
                throw new IllegalArgumentException("unknown prompt method '" + name
                        + "' (expected prompteol, cot, ke or metaeol)");
        }
    }
}
