package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tp} command as a user gets it: the distribution tar unpacked into a directory outside the build tree,
 * its {@code bin/tp} run as the docs write it ({@code tp embed sentences.txt > vectors.jsonl}), through a symbolic
 * link as from a PATH directory.
 */
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "bin/tp is a POSIX shell script (bin/tp.cmd is for Windows)")
class DistributionIT {
    @TempDir
    static Path home;
    private static Path tp;

    @BeforeAll
    static void unpack() throws Exception {
        Path tar = Path.of(System.getProperty("tp.distribution", "target/tp.tar"));
        assertThat(tar).as("run 'mvn verify' (the distribution is built in the package phase)").isRegularFile();
        Run untar = run(home, List.of("tar", "-xf", tar.toAbsolutePath().toString()), Map.of());
        assertThat(untar.exit).as(untar.toString()).isZero();
        Path bin = home.resolve("tp-" + System.getProperty("tp.version") + "/bin");
        Path links = Files.createDirectories(home.resolve("links"));
        tp = Files.createSymbolicLink(links.resolve("tp"), bin.resolve("tp"));
    }

    @Test
    void layoutIsBinAndLib() throws IOException {
        Path root = home.resolve("tp-" + System.getProperty("tp.version"));
        assertThat(root.resolve("bin/tp")).isExecutable();
        assertThat(root.resolve("bin/tp.cmd")).isRegularFile();
        try (JarFile jar = new JarFile(root.resolve("lib/tp.jar").toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
        }
    }

    @Test
    void embedWritesOneJsonLinePerInputLine() throws Exception {
        Path work = Files.createDirectories(home.resolve("work"));
        Files.writeString(work.resolve("sentences.txt"), "A man is playing a guitar.\nSomeone plays music.\n");
        Run run = run(work, List.of("sh", "-c", "'" + tp + "' embed sentences.txt > vectors.jsonl"),
                Map.of("JAVA_HOME", System.getProperty("java.home")));
        assertThat(run.exit).as(run.toString()).isZero();
        List<String> lines = Files.readAllLines(work.resolve("vectors.jsonl"));
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("text").asText()).isEqualTo("A man is playing a guitar.");
        assertThat(first.get("embedding").size()).isPositive();
        // JDK 22+ warns of JNA's System::load unless the jar's manifest enables native access
        assertThat(run.err).doesNotContain("restricted method");
    }

    @Test
    void similarityRunsAsTheReadmeWritesIt() throws Exception {
        Run run = run(home, List.of(tp.toString(), "similarity", "A man is playing a guitar.", "Someone plays music."),
                Map.of("JAVA_HOME", System.getProperty("java.home")));
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(Double.parseDouble(run.out.strip())).isBetween(-1.0, 1.0);
    }

    @Test
    void javaOptsReachTheJvm() throws Exception {
        Run run = run(home, List.of(tp.toString(), "--version"),
                Map.of("JAVA_HOME", System.getProperty("java.home"), "JAVA_OPTS", "-Xmx1g -XX:+PrintCommandLineFlags"));
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).contains("-XX:MaxHeapSize=1073741824").contains("tp (token-prepending-java) ");
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private static Run run(Path dir, List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " ran over 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
