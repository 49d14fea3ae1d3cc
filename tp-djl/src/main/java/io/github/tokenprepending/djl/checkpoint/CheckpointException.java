package io.github.tokenprepending.djl.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file that is missing, malformed or inconsistent. The message starts with the file's path. */
public class CheckpointException extends IOException {

    private final transient Path file;

    /**
     * @param file the offending file (or directory)
     * @param problem what is wrong with it
     */
    public CheckpointException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    /**
     * @param file the offending file (or directory)
     * @param problem what is wrong with it
     * @param cause the underlying error
     */
    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** @return the offending file (or directory) */
    public Path file() {
        return file;
    }
}
