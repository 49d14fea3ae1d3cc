package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputLinesTest {
    @TempDir
    Path dir;

    @Test
    void everyLineCountsWhateverTheLineBreak() throws IOException {
        assertThat(read("a\nb\r\nc\rd")).containsExactly("a", "b", "c", "d");
        assertThat(read("a\n\n\r\n\rb\n")).containsExactly("a", "", "", "", "b");
        assertThat(read("\n")).containsExactly("");
        assertThat(read("")).isEmpty();
    }

    @Test
    void byteOrderMarkIsDropped() throws IOException {
        assertThat(read("\uFEFFfirst\nsecond")).containsExactly("first", "second");
    }

    @Test
    void multiByteCharactersSurvive() throws IOException {
        assertThat(read("Über ✈ 😀\n日本語")).containsExactly("Über ✈ 😀", "日本語");
    }

    @Test
    void invalidUtf8NamesTheRightLineEvenFarIntoALargeFile() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line number ").append(i + 1).append('\n');
        }
        byte[] good = text.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[good.length + 3];
        System.arraycopy(good, 0, bytes, 0, good.length);
        bytes[good.length] = 'x';
        bytes[good.length + 1] = (byte) 0xE2; // truncated 3-byte sequence
        bytes[good.length + 2] = '\n';
        Path file = Files.write(dir.resolve("big.txt"), bytes);

        assertThatThrownBy(() -> InputLines.read(file)).isInstanceOf(IOException.class)
                .hasMessage(file + ": line 20001 is not valid UTF-8");
    }

    private java.util.List<String> read(String text) throws IOException {
        return InputLines.read(Files.writeString(dir.resolve("in.txt"), text, StandardCharsets.UTF_8));
    }
}
