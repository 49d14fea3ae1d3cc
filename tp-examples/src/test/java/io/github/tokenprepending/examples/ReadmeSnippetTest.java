package io.github.tokenprepending.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java programs of the README and of docs/integrations.md compile and run as written: their imports, the demo
 * model, no SLF4J warning. tp-examples' class path is what those pages tell an application to add.
 */
class ReadmeSnippetTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    /** What a program printed. */
    private record Run(List<String> out, String err) {
    }

    @Test
    void theJavaApiProgramCompilesAndRuns() throws Exception {
        Run run = compileAndRun(Path.of("..", "README.md"), "## Java API");

        assertThat(run.out()).hasSize(1);
        assertThat(run.out().get(0)).matches("cosine -?[01]\\.\\d{4}, 64 dimensions");
        assertThat(run.err()).doesNotContain("SLF4J");
    }

    @Test
    void theLangchain4jProgramOfTheIntegrationsPageCompilesAndRetrieves() throws Exception {
        Run run = compileAndRun(Path.of("..", "docs", "integrations.md"), "## langchain4j");

        assertThat(run.out()).containsExactly("Mom made a yummy cake for the birthday party.");
        assertThat(run.err()).doesNotContain("SLF4J").doesNotContain("Exception");
    }

    private Run compileAndRun(Path markdown, String heading) throws Exception {
        String page = Files.readString(markdown);
        String section = page.substring(page.indexOf(heading));
        Matcher block = JAVA_BLOCK.matcher(section);
        assertThat(block.find()).as("a ```java block under " + heading + " of " + markdown).isTrue();
        String source = block.group(1);
        Matcher name = Pattern.compile("public class (\\w+)").matcher(source);
        assertThat(name.find()).as("the snippet is a whole program").isTrue();
        Path file = Files.writeString(dir.resolve(name.group(1) + ".java"), source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, null, diagnostics, "-d", dir.toString(), "-cp",
                System.getProperty("java.class.path"), file.toString());
        assertThat(status).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                getClass().getClassLoader())) {
            Method main = loader.loadClass(name.group(1)).getMethod("main", String[].class);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new Run(printed.toString(StandardCharsets.UTF_8).lines().toList(),
                errors.toString(StandardCharsets.UTF_8));
    }
}
