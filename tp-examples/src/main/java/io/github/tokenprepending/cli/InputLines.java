package io.github.tokenprepending.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads UTF-8 text one sentence per line (\n, \r\n or \r); every line counts, empty ones included. */
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
        try (InputStream in = file == null ? System.in : Files.newInputStream(file)) {
            var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, decoder), 1 << 16);
            List<String> lines = new ArrayList<>();
            try {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    lines.add(line);
                }
            } catch (CharacterCodingException e) {
                throw new IOException(name + ": line " + (lines.size() + 1) + " is not valid UTF-8", e);
            }
            if (!lines.isEmpty() && lines.get(0).startsWith("\uFEFF")) {
                lines.set(0, lines.get(0).substring(1));
            }
            return lines;
        }
    }
}
