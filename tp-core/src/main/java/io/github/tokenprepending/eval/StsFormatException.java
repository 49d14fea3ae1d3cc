package io.github.tokenprepending.eval;

import java.nio.file.Path;

/** A data file that does not have SentEval's format; the message names the file and, where known, the line. */
public final class StsFormatException extends DataFormatException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file the file
     * @param line the 1-based line number, or 0 for the file as a whole
     * @param message what is wrong
     */
    public StsFormatException(Path file, long line, String message) {
        super(file, line, message);
    }
}
