package io.github.tokenprepending.hub;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Captures what slf4j-simple writes (to {@code System.err}) while open. Loading this class turns on DEBUG for this
 * package; loggers take their level when created, so every test class loads it (directly or through
 * {@link FakeHub}) before it touches a class with a logger.
 */
final class LogCapture implements AutoCloseable {

    static {
        System.setProperty("org.slf4j.simpleLogger.log.io.github.tokenprepending.hub", "debug");
    }

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LogCapture() {
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    }

    /** Makes sure the DEBUG level is set. */
    static void enableDebug() {
        // the static initializer does the work
    }

    String text() {
        System.err.flush();
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
