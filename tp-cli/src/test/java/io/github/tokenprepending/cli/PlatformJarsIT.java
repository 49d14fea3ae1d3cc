package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code -Dtp.platform=CLASSIFIER} builds tp.jar for another platform: a child Maven build of this reactor per
 * platform (as {@code target/tp-CLASSIFIER.jar}), which must carry that platform's CPU libtorch and JNI library and
 * not this machine's libtorch; run here, it fails with a message naming both platforms. Minutes (a shaded jar per platform): tagged {@code platforms}, run by CI's slow step.
 */
@Tag("platforms")
class PlatformJarsIT {
    private static final String THIS = System.getProperty("tp.platform");

    @ParameterizedTest
    @ValueSource(strings = {"linux-x86_64", "linux-aarch64", "osx-aarch64", "win-x86_64"})
    void cliJarCarriesThePlatformsNative(String platform) throws Exception {
        assumeFalse(platform.equals(THIS), "the jar of this platform: tp.jar");
        Path target = Path.of(System.getProperty("tp.jar")).toAbsolutePath().getParent();
        Path root = target.getParent().getParent();
        String mvn = Path.of(System.getProperty("maven.home"), "bin",
                System.getProperty("os.name").startsWith("Windows") ? "mvn.cmd" : "mvn").toString();
        List<String> command = new ArrayList<>(List.of(mvn, "-B", "-q", "-f", root.resolve("pom.xml").toString(),
                "-pl", "tp-cli", "-am", "package", "-DskipTests", "-Dmaven.javadoc.skip", "-Dmaven.source.skip",
                "-Dtp.platform=" + platform, "-Dtp.jar.name=tp-" + platform));
        if ("offline true".equals(System.getProperty("tp.maven.offline"))) {
            command.add("-o");
        }
        Path log = target.resolve("platform-" + platform + ".log");
        Process build = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!build.waitFor(15, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("the " + platform + " build ran over 15 minutes; log: " + log);
        }
        assertThat(build.exitValue()).as("%s build:%n%s", platform, Files.readString(log, StandardCharsets.UTF_8))
                .isZero();

        List<String> entries;
        try (ZipFile jar = new ZipFile(target.resolve("tp-" + platform + ".jar").toFile())) {
            entries = jar.stream().map(ZipEntry::getName).toList();
        }
        assertThat(entries).as("libtorch of " + platform)
                .anyMatch(e -> e.startsWith("pytorch/cpu/" + platform + "/") && e.contains("torch"));
        assertThat(entries).as("the JNI library of " + platform).anyMatch(e -> e.startsWith("jnilib/" + platform + "/cpu/"));
        assertThat(entries).as("no libtorch of this machine (" + THIS + ")")
                .noneMatch(e -> e.startsWith("pytorch/cpu/" + THIS + "/"));
        assertThat(target.resolve("tp-" + System.getProperty("tp.version") + "-" + platform + ".tar"))
                .as("the tp distribution of " + platform).isRegularFile();

        // here, that jar's libtorch cannot load (DJL offline): the error says why and what to do
        Path err = target.resolve("platform-" + platform + ".err");
        Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                target.resolve("tp-" + platform + ".jar").toString(), "similarity", "a dog", "a cat")
                .redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("tp-%s.jar ran over 120 s", platform).isTrue();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(stderr).isEqualTo(1);
        assertThat(stderr).contains("carries the CPU libtorch of " + platform + ", this machine is " + THIS);
    }
}
