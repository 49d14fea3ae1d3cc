package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code tp.jar}, copied alone into a directory outside the build tree, runs with {@code java -jar}:
 * nothing beside it (no {@code lib/}), no network for natives (DJL offline).
 */
class StandaloneJarIT {
    @TempDir
    static Path dir;
    private static Path jar;

    @BeforeAll
    static void copyJar() throws IOException {
        Path built = Path.of(System.getProperty("tp.jar", "target/tp.jar"));
        assertThat(built).as("run 'mvn verify' (the jar is built in the package phase)").isRegularFile();
        jar = Files.copy(built, dir.resolve("tp.jar"));
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Run run = java("--version");
        assertThat(run.exit).as(run.toString()).isZero();
        assertThat(run.out).startsWith("tp (token-prepending-java) ").doesNotContain("development build");
    }

    @Test
    void similarityRunsTheBundledToyModelFromTheCopiedJar() throws Exception {
        Run run = java("similarity", "The little girl played with her dog.", "A small child was playing with a puppy.");
        assertThat(run.exit).as(run.toString()).isZero();
        double similarity = Double.parseDouble(run.out.strip());
        assertThat(similarity).isBetween(-1.0, 1.0);
        assertThat(run.err).contains("bundled toy model").doesNotContain("SLF4J");
    }

    private record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout ---\n" + out + "\n--- stderr ---\n" + err;
        }
    }

    private static Run java(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-jar", jar.getFileName().toString()));
        command.addAll(List.of(args));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tp.jar " + String.join(" ", args) + " ran over 120 s");
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
