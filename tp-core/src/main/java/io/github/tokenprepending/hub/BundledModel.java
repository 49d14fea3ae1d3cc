package io.github.tokenprepending.hub;

import java.nio.file.Path;

/**
 * A model shipped inside a jar under a short name (such as {@link BundledModels#DEMO}), so that every front end
 * (the command line's {@code --model}, Spring's {@code tp.embedding.model}, Spark, the server) can ask for it by
 * name. Implementations are found with {@link java.util.ServiceLoader}; {@link ModelResolver} asks them first.
 */
public interface BundledModel {
    /** @return the name users give as the model ({@code stories260k}) */
    String name();

    /**
     * @return a directory holding the model's files (extracted on first use)
     * @throws java.io.UncheckedIOException if the files cannot be extracted
     */
    Path directory();
}
