package io.github.tokenprepending.eval;

import java.io.IOException;
import java.nio.file.Path;

/** An evaluation data file that is malformed; the message names the file and, where known, the line. */
public class DataFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /**
     * @param file the file
     * @param line the 1-based line number, or 0 for the file as a whole
     * @param message what is wrong
     */
    public DataFormatException(Path file, long line, String message) {
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
