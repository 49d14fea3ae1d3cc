package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.ProgressListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Without a terminal, long tasks print a plain progress line per interval; short ones stay silent. */
class TerminalProgressTest {
    @Test
    void aLongTaskPrintsLinesAndAFinalOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener listener = TerminalProgress.periodicLines("STS12 TP", new PrintStream(bytes, true,
                StandardCharsets.UTF_8), 0);

        listener.onProgress(10, 40);
        listener.onProgress(40, 40);

        assertThat(bytes.toString(StandardCharsets.UTF_8).lines().toList()).hasSize(2)
                .allMatch(l -> l.matches("STS12 TP: \\d+/40 prompts \\(\\d+%\\), \\d+ s"))
                .last().asString().startsWith("STS12 TP: 40/40 prompts (100%)");
    }

    @Test
    void aShortTaskStaysSilent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener listener = TerminalProgress.periodicLines("embed", new PrintStream(bytes, true,
                StandardCharsets.UTF_8), 60_000_000_000L);

        listener.onProgress(5, 10);
        listener.onProgress(10, 10);

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
