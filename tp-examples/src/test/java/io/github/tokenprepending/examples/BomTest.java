package io.github.tokenprepending.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** tp-bom lists every published module of the build, so that one imported version aligns them all. */
class BomTest {
    /** Modules that are not published: the CLI application, the examples and the BOM itself. */
    private static final List<String> UNPUBLISHED = List.of("tp-cli", "tp-examples", "tp-examples-spring", "tp-bom");

    @Test
    void everyPublishedModuleIsInTheBom() throws IOException {
        List<String> modules = Pattern.compile("<module>([^<]+)</module>")
                .matcher(Files.readString(Path.of("..", "pom.xml"))).results().map(m -> m.group(1))
                .filter(m -> !UNPUBLISHED.contains(m)).toList();
        String bom = Files.readString(Path.of("..", "tp-bom", "pom.xml"));

        assertThat(modules).isNotEmpty();
        for (String module : modules) {
            assertThat(bom).as("tp-bom/pom.xml manages " + module).contains("<artifactId>" + module + "</artifactId>");
        }
        assertThat(bom).doesNotContain("<parent>");
    }
}
