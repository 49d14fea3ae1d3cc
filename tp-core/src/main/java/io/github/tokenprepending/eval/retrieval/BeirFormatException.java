package io.github.tokenprepending.eval.retrieval;

import io.github.tokenprepending.eval.DataFormatException;
import java.nio.file.Path;

/** A retrieval data file that does not have the BEIR layout; the message names the file and, where known, the line. */
public final class BeirFormatException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param line the 1-based line number, or 0 for the file as a whole
     * @param message what is wrong
     */
    public BeirFormatException(Path file, long line, String message) {
        super(file, line, message);
    }
}
