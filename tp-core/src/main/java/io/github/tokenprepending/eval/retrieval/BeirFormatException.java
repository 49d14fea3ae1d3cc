package io.github.tokenprepending.eval.retrieval;

import java.io.IOException;
import java.nio.file.Path;

/** A retrieval data file that does not have the BEIR layout; the message names the file and, where known, the line. */
public final class BeirFormatException extends IOException {
    private final transient Path file;
    private final long line;

    /**
     * @param file the file
     * @param line the 1-based line number, or 0 for the file as a whole
     * @param message what is wrong
     */
    public BeirFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    /** @return the file */
    public Path file() {
        return file;
    }

    /** @return the 1-based line number, or 0 for the file as a whole */
    public long line() {
        return line;
    }
}
