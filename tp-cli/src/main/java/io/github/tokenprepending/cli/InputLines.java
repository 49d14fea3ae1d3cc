package io.github.tokenprepending.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads UTF-8 text one sentence per line (\n, \r\n or \r); every line counts, empty ones included, and a final line
 * without a line break too. A leading byte order mark is dropped. Each line is decoded strictly on its own, so an
 * error names the line that holds the invalid bytes.
 */
final class InputLines {
    private InputLines() {
    }

    /**
     * @param file the file, or null for standard input
     * @return the lines
     * @throws IOException naming the file and line of invalid UTF-8
     */
    static List<String> read(Path file) throws IOException {
        String name = file == null ? "standard input" : file.toString();
        try (InputStream raw = file == null ? System.in : Files.newInputStream(file)) {
            // closing System.in is harmless here: a command reads it once
            return read(new BufferedInputStream(raw, 1 << 16), name);
        }
    }

    private static List<String> read(InputStream in, String name) throws IOException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        boolean pendingLine = false;
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n' || b == '\r') {
                lines.add(decode(decoder, line, name, lines.size() + 1));
                pendingLine = false;
                if (b == '\r') {
                    in.mark(1);
                    if (in.read() != '\n') {
                        in.reset();
                    }
                }
            } else {
                line.write(b);
                pendingLine = true;
            }
        }
        if (pendingLine) {
            lines.add(decode(decoder, line, name, lines.size() + 1));
        }
        if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
            lines.set(0, lines.get(0).substring(1));
        }
        return lines;
    }

    private static String decode(CharsetDecoder decoder, ByteArrayOutputStream bytes, String name, int lineNumber)
            throws IOException {
        try {
            return decoder.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(name + ": line " + lineNumber + " is not valid UTF-8", e);
        } finally {
            bytes.reset();
        }
    }
}
