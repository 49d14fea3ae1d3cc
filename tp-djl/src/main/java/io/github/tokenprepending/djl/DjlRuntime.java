package io.github.tokenprepending.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Process-wide DJL settings and diagnostics. DJL sends a telemetry ping (an EC2 metadata lookup, then an S3
 * request) when an engine or tokenizer starts, unless {@code OPT_OUT_TRACKING} is set; an embedding library must
 * not phone home, so tp-djl opts out unless the application set {@code OPT_OUT_TRACKING} itself (as a system
 * property or an environment variable).
 */
public final class DjlRuntime {
    private static final String OPT_OUT = "OPT_OUT_TRACKING";

    /**
     * How to give DJL 0.35 a CUDA build of libtorch (quoted by errors that find no GPU): Maven Central has no CUDA
     * natives for libtorch 2.7.1, and the {@code cu128} JNI of pytorch-jni 2.7.1-0.35.0 matches libtorch 2.7.1 for
     * CUDA 12.8.
     */
    public static final String CUDA_HINT = "a GPU needs libtorch 2.7.1 built for CUDA 12.8: set PYTORCH_LIBRARY_PATH="
            + "<libtorch>/lib PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cu128, or leave pytorch-native-cpu off the class"
            + " path and let DJL download it (see docs/gpu.md)";

    /** What a failed libtorch load usually means, and the dependency that fixes it. */
    static final String NATIVE_HINT = "no PyTorch native library could be loaded: add the CPU native,"
            + " ai.djl.pytorch:pytorch-native-cpu:2.7.1 with classifier linux-x86_64 (or osx-aarch64, win-x86_64),"
            + " to the application's runtime class path (DJL downloads one only when online); " + CUDA_HINT;

    private DjlRuntime() {
    }

    /**
     * Loads the PyTorch engine, hence libtorch. Without a native jar and offline DJL fails with a bare
     * {@code EngineException} ("Failed to save pytorch index file"): this names the missing dependency instead.
     *
     * @return the engine
     * @throws IllegalStateException naming the missing native dependency, DJL's failure as the cause
     */
    public static Engine engine() {
        init();
        try {
            return Engine.getEngine("PyTorch");
        } catch (EngineException e) {
            throw new IllegalStateException(NATIVE_HINT + " (DJL: " + e.getMessage() + ")", e);
        }
    }

    /** Applies the settings; called before any DJL engine or tokenizer is created. Idempotent. */
    public static synchronized void init() {
        if (System.getProperty(OPT_OUT) == null && System.getenv(OPT_OUT) == null) {
            System.setProperty(OPT_OUT, "true");
        }
    }

    /**
     * Sets libtorch's intra-op thread count (process-wide; on CPU it defaults to the number of cores).
     *
     * @param threads threads per operation
     */
    public static void setThreads(int threads) {
        loadEngine();
        JniUtils.setNumThreads(threads);
    }

    /** @return libtorch's intra-op thread count */
    public static int threads() {
        loadEngine();
        return JniUtils.getNumThreads();
    }

    /**
     * Loads the PyTorch engine, hence libtorch: {@link JniUtils} alone does not, so calling it before any model
     * was loaded failed with an {@link UnsatisfiedLinkError}.
     */
    private static void loadEngine() {
        engine();
    }

    /**
     * Measures float32 matrix multiplication on the CPU through DJL's libtorch: the ceiling of what the layers
     * can reach.
     *
     * @param n matrix size (n x n times n x n)
     * @param repeats timed multiplications (after one warm-up)
     * @return GFLOP/s (2 n^3 per multiplication)
     */
    public static double sgemmGflops(int n, int repeats) {
        init();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray a = manager.randomNormal(new Shape(n, n));
            NDArray b = manager.randomNormal(new Shape(n, n));
            a.matMul(b).close();
            long start = System.nanoTime();
            for (int i = 0; i < repeats; i++) {
                a.matMul(b).close();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return 2.0 * n * n * n * repeats / seconds / 1e9;
        }
    }
}
