package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.spi.ModelOptions;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application without a PyTorch native jar, offline: loading a model names the missing dependency instead of
 * DJL's bare {@code EngineException: Failed to save pytorch index file}. Runs in a child JVM whose class path lacks
 * pytorch-native-cpu and whose DJL engine cache is empty.
 */
class MissingNativeTest {

    /** Child main: loads the checkpoint in {@code args[0]} and prints how that ended. */
    public static final class LoadWithoutNative {
        private LoadWithoutNative() {
        }

        /**
         * @param args the checkpoint directory
         */
        public static void main(String[] args) throws Exception {
            try (DjlLayerwiseModel model = DjlModels.load(Path.of(args[0]), ModelOptions.defaults())) {
                System.out.println("LOADED " + model.info().numLayers());
            } catch (IllegalStateException e) {
                System.out.println("FAILED " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
    }

    @Test
    void loadingWithoutANativeJarOfflineNamesTheMissingDependency(@TempDir Path dir) throws Exception {
        Path model = Files.createDirectories(dir.resolve("model"));
        Stories260k.writeTo(model);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("pytorch-native-cpu")).collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));

        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(List.of(javaBin.toString(), "-cp", classPath, "-Dai.djl.offline=true",
                "-DENGINE_CACHE_DIR=" + dir.resolve("engine-cache"), "-DDJL_CACHE_DIR=" + dir.resolve("djl-cache"),
                LoadWithoutNative.class.getName(), model.toString())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(5, TimeUnit.MINUTES)).isTrue();

        assertThat(child.exitValue()).as(output).isZero();
        assertThat(output).contains("FAILED java.lang.IllegalStateException: no PyTorch native library could be"
                + " loaded: add the CPU native, ai.djl.pytorch:pytorch-native-cpu:2.7.1").contains("(DJL: ")
                .doesNotContain("LOADED");
    }
}
