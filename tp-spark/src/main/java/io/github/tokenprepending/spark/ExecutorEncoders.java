package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;

/**
 * The encoders of this JVM (an executor, or the driver in local mode): one per distinct {@link EncoderSettings},
 * loaded on first use and shared by every task the JVM runs, closed when the JVM shuts down.
 *
 * <p>Tasks that ask while the model loads wait for that one load. A load that fails is not cached: the next task
 * tries again (and fails the same way, which Spark reports with the executor's host).
 */
public final class ExecutorEncoders {
    private static final Map<EncoderSettings, SentenceEncoder> OPEN = new ConcurrentHashMap<>();
    private static final Map<EncoderSettings, AtomicInteger> LOADS = new ConcurrentHashMap<>();
    private static final Thread CLOSER = new Thread(ExecutorEncoders::closeAll, "tp-spark-encoders-close");
    private static volatile boolean hooked;

    private ExecutorEncoders() {
    }

    /**
     * @param settings the encoder's settings; no model means the bundled stories260K toy model
     * @return this JVM's encoder for them, loaded now if it is the first call; do not close it
     * @throws ModelUnavailableException if the model cannot be loaded on this host
     */
    public static SentenceEncoder get(EncoderSettings settings) {
        return OPEN.computeIfAbsent(settings, ExecutorEncoders::load);
    }

    /**
     * @param settings encoder settings
     * @return how often this JVM has loaded a model for them (1 once loaded: tasks share it)
     */
    public static int loads(EncoderSettings settings) {
        AtomicInteger n = LOADS.get(settings);
        return n == null ? 0 : n.get();
    }

    private static SentenceEncoder load(EncoderSettings settings) {
        hookOnce();
        EncoderSettings resolved = settings.model() == null
                ? settings.toBuilder().model(ToyModel.directory().toString()).build() : settings;
        try {
            SentenceEncoder encoder = resolved.open();
            LOADS.computeIfAbsent(settings, s -> new AtomicInteger()).incrementAndGet();
            return encoder;
        } catch (RuntimeException e) {
            throw new ModelUnavailableException(message(resolved.model(), e), e);
        }
    }

    /** Says where it failed: a path that exists on the driver may be missing on an executor's node. */
    private static String message(String model, RuntimeException e) {
        String where = "executor " + executorId() + " on host " + host();
        String hint = looksLikePath(model) && !Files.isDirectory(Path.of(model))
                ? ": the directory " + model + " does not exist on this host (ship it to every node with"
                        + " --archives or shared storage, or use a model id found in each node's HF cache)"
                : "";
        return "cannot load model '" + model + "' on " + where + hint + ": " + e.getMessage();
    }

    private static boolean looksLikePath(String model) {
        try {
            Path p = Path.of(model);
            return p.isAbsolute() || model.startsWith(".") || model.startsWith("~") || model.split("/").length > 2;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private static String executorId() {
        SparkEnv env = SparkEnv.get();
        return env == null ? "(no Spark environment)" : env.executorId();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "(unknown host: " + e.getMessage() + ")";
        }
    }

    private static synchronized void hookOnce() {
        if (!hooked) {
            Runtime.getRuntime().addShutdownHook(CLOSER);
            hooked = true;
        }
    }

    /** Closes every encoder of this JVM (the shutdown hook). */
    static void closeAll() {
        OPEN.values().removeIf(encoder -> {
            encoder.close();
            return true;
        });
    }
}
