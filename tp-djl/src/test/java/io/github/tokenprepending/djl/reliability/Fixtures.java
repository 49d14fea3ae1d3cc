package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.djl.tokenizer.HfTextTokenizer;
import io.github.tokenprepending.djl.tokenizer.SpecialTokenText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/** Shared helpers of the reliability tests: test resources, native-resource counters, RSS, log capture. */
final class Fixtures {
    /** The tokenizers bundled under {@code src/test/resources/tokenizers/}. */
    static final String[] FAMILIES = {"llama2", "llama3", "qwen2", "gemma2", "stories260K-hf"};

    private Fixtures() {
    }

    /**
     * @param family a bundled family
     * @param file {@code tokenizer.json} or {@code tokenizer_config.json}; a {@code .gz} of that name is read
     *     decompressed
     * @return the contents
     */
    static byte[] tokenizerFile(String family, String file) {
        String path = "/tokenizers/" + family + "/" + file;
        try (InputStream plain = Fixtures.class.getResourceAsStream(path)) {
            if (plain != null) {
                return plain.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream gz = Fixtures.class.getResourceAsStream(path + ".gz");
                InputStream in = new GZIPInputStream(gz)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param family a bundled family
     * @param specialTokens special-token handling
     * @return a new tokenizer for that family, as the model directory would load it; close it
     */
    static HfTextTokenizer tokenizer(String family, SpecialTokenText specialTokens) {
        return HfTextTokenizer.fromJson(tokenizerFile(family, "tokenizer.json"),
                tokenizerFile(family, "tokenizer_config.json"), specialTokens);
    }

    /** @return DJL's PyTorch system manager, the parent of every model's base manager */
    static NDManager systemManager() {
        DjlRuntime.init();
        try (NDManager probe = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            return probe.getParentManager();
        }
    }

    /**
     * @param manager a DJL manager
     * @return how many resources (arrays and sub-managers) it holds directly
     */
    static int directResources(NDManager manager) {
        try {
            Field f = BaseNDManager.class.getDeclaredField("resources");
            f.setAccessible(true);
            return ((Map<?, ?>) f.get(manager)).size();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param manager a DJL manager
     * @return how many arrays it and its sub-managers hold
     */
    static int liveArrays(NDManager manager) {
        return manager.getManagedArrays().size();
    }

    /** @return this process's resident set size in KiB ({@code VmRSS} of {@code /proc/self/status}) */
    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /**
     * Deletes a directory tree (the model copies of child JVMs).
     *
     * @param dir the directory
     */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** @return live JVM threads */
    static int threads() {
        return Thread.getAllStackTraces().size();
    }

    static void assertFinite(float[] v, String what) {
        for (int i = 0; i < v.length; i++) {
            assertThat(Float.isFinite(v[i])).as("%s: component %d is %s", what, i, v[i]).isTrue();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /** How a child JVM ended: its exit code and its stdout and stderr together. */
    record Child(int exitCode, String output) {
    }

    /**
     * Runs a main class of the test class path in a child JVM, so that a native crash fails a test instead of
     * killing the test JVM. The crash report goes to the temporary directory.
     *
     * @param main the class
     * @param args its arguments
     * @return how it ended
     */
    static Child runInChildJvm(Class<?> main, String... args) throws IOException, InterruptedException {
        return runInChildJvm(List.of(), main, args);
    }

    /**
     * @param jvmOptions options for the child JVM ({@code -Xmx...})
     * @param main the class
     * @param args its arguments
     * @return how it ended
     */
    static Child runInChildJvm(List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true",
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "tp_hs_err_%p.log")));
        command.addAll(jvmOptions);
        command.add(main.getName());
        command.addAll(List.of(args));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = child.getInputStream().readAllBytes();
        if (!child.waitFor(10, TimeUnit.MINUTES)) {
            child.destroyForcibly();
            throw new IllegalStateException("child JVM " + main.getName() + " still running after 10 minutes");
        }
        return new Child(child.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** Captures what slf4j-simple writes to {@code System.err} while open. */
    static final class LogCapture implements AutoCloseable {
        private final PrintStream original = System.err;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        LogCapture() {
            System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        }

        String text() {
            System.err.flush();
            return buffer.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            System.setErr(original);
        }
    }
}
