package io.github.tokenprepending.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Spring Boot example starts with its application.properties on the bundled model and prints the top three. */
class SpringAiSearchTest {
    @Test
    void theApplicationPrintsTheClosestPassagesFirst() {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            SpringAiSearch.main(new String[] {"--tp.embedding.threads=2", "A", "small", "bird", "sang", "a", "happy",
                "song."});
        } finally {
            System.setOut(original);
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("query: ") || l.matches("[1-3]\\. .*")).toList();

        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("query: A small bird sang a happy song.");
        assertThat(lines.get(1)).matches("1\\. \\d\\.\\d{4}  A small bird sang a happy song in the tall tree\\.");
    }
}
