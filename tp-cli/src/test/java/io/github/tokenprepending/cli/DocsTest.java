package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Markdown file of the repository (README, CHANGELOG, docs, module and test-resource READMEs) passes
 * {@link DocsCheck}: links and anchors resolve, no build-machine paths, and every {@code tp} command it shows parses
 * against picocli's model of {@link Main}. The rules themselves are tested on planted mistakes below.
 */
class DocsTest {
    private static final Path ROOT = repositoryRoot();

    @Test
    void everyMarkdownFileOfTheRepositoryKeepsTheRules() {
        DocsCheck check = new DocsCheck(ROOT);
        List<Path> files = check.markdownFiles();
        List<String> problems = new ArrayList<>();
        files.forEach(f -> problems.addAll(check.check(f)));

        assertThat(files).extracting(f -> ROOT.relativize(f).toString().replace('\\', '/'))
                .contains("README.md", "CHANGELOG.md", "docs/architecture.md", "tp-cli/README.md",
                        "tp-djl/src/test/resources/tokenizers/README.md");
        assertThat(problems).withFailMessage("%d Markdown problems (FILE:LINE: [rule] what):%n%s", problems.size(),
                String.join("\n", problems)).isEmpty();
    }

    @Test
    void aMissingFileOrAnchorIsReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("docs"));
        Files.writeString(dir.resolve("docs/a.md"), """
                # Large models on one CPU machine
                ## `tp-spark`: Dataset API
                ## Notes
                ## Notes
                ```bash
                # not a heading
                ```
                """);
        Files.writeString(dir.resolve("README.md"), """
                See [a](docs/a.md#large-models-on-one-cpu-machine), [b](docs/a.md#tp-spark-dataset-api),
                [c](docs/a.md#notes-1), [the web](https://example.com/x#y) and [top](#title).
                # Title
                Broken: [d](docs/b.md), [e](docs/a.md#not-a-heading), [f](#nowhere), [g](../outside.md).
                `[not a link](nowhere.md)`
                """);

        List<String> problems = new DocsCheck(dir).check(dir.resolve("README.md"));

        assertThat(problems).containsExactly(
                "README.md:4: [link] 'docs/b.md': no such file docs/b.md",
                "README.md:4: [link] 'docs/a.md#not-a-heading': no heading of docs/a.md has the anchor #not-a-heading",
                "README.md:4: [link] '#nowhere': no heading of README.md has the anchor #nowhere",
                "README.md:4: [link] '../outside.md' points outside the repository");
    }

    @Test
    void githubSlugsDropPunctuationAndKeepHyphensAndUnderscores() {
        assertThat(DocsCheck.slug("GPU check without Java")).isEqualTo("gpu-check-without-java");
        assertThat(DocsCheck.slug("`tp.embedding.*` properties (Spring)")).isEqualTo("tpembedding-properties-spring");
        assertThat(DocsCheck.slug("What [TP](x.md) does: 1.04x")).isEqualTo("what-tp-does-104x");
        assertThat(DocsCheck.slug("hf_reference.py & friends")).isEqualTo("hf_referencepy--friends");
    }

    @Test
    void buildMachinePathsAreReportedAndRoutesAndContainerPathsAreNot(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), """
                Run `python3 -m venv /tmp/venv`, then /opt/libtorch/lib and -Xlog:gc:file=/home/me/gc.log.
                Fine: POST /v1/embeddings, `-v MODEL_DIR:/models`, ~/.cache/huggingface, https://example.com/home/x,
                tp-djl/src/test/tmp/x, /workspace? no: /work is a machine folder.
                ```dockerfile
                COPY tp.jar /opt/tp/tp.jar
                ```
                C:\\Users\\me\\tp
                """);

        List<String> problems = new DocsCheck(dir).check(dir.resolve("a.md"));

        assertThat(problems).extracting(p -> p.substring(0, p.indexOf(" is a path"))).containsExactly(
                "a.md:1: [machine-path] '/tmp/venv'",
                "a.md:1: [machine-path] '/opt/libtorch/lib'",
                "a.md:1: [machine-path] '/home/me/gc.log'",
                "a.md:3: [machine-path] '/work'",
                "a.md:7: [machine-path] 'C:\\Users\\me\\tp'");
    }

    @Test
    void unknownSubCommandsAndOptionsAreReportedFromPicocliModel(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.md"), """
                Good: `tp sts --model ID --data DIR --tp 1 4`, `tp embed --output-layer -2 a.txt > out.jsonl`,
                `tp COMMAND --help`, `tp(1, 7)`, `tp.embedding.tp`.
                ```bash
                mvn -B -q -pl tp-cli -am package && java -Dx=1 -jar tp-cli/target/tp.jar similarity \\
                    --pairs pairs.tsv --tp=1 7 2>&1 | head
                MODEL=x java -jar tp.jar serve --port 8080 --synthetic llama:layers=2
                java -jar tp.jar <command> --help
                ```
                Bad: `tp embedd a.txt`, `tp embed --outputlayer 3`.
                ```bash
                java -jar tp-cli/target/tp.jar search --corpus c.txt --top 5 query \\
                    --model m
                ```
                ```java
                tp --not-checked-in-java
                ```
                """);

        List<String> problems = new DocsCheck(dir).check(dir.resolve("a.md"));

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("a.md:9: [cli] `tp embedd a.txt`: 'embedd' is not a sub-command of tp"
                + " (known: embed, similarity,");
        assertThat(problems.get(1)).isEqualTo("a.md:9: [cli] `tp embed --outputlayer 3`: '--outputlayer' is not an"
                + " option of 'tp embed'");
        assertThat(problems.get(2)).startsWith("a.md:11: [cli] `java -jar tp-cli/target/tp.jar search --corpus c.txt"
                + " --top 5 query --model m`: '--top' is not an option of 'tp search'");
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("tp-cli"))
                && Files.isRegularFile(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
