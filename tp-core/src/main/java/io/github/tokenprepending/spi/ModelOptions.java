package io.github.tokenprepending.spi;

import java.util.Locale;
import java.util.Objects;

/**
 * How to load a model.
 *
 * @param device {@code cpu} or {@code cuda:N} (also {@code gpu}, {@code gpu:N})
 * @param dtype compute dtype, or null for the default (float32 on CPU, bfloat16 on GPU)
 * @param placeholder the {@code <PST>} input vector
 * @param threads the engine's intra-op CPU threads (process-wide in libtorch), or 0 for the cores the JVM sees
 * @param weightsDtype dtype the weight matrices are kept in, or null for the engine's default (the compute dtype
 *     when that is 16-bit, else the checkpoint's own 16-bit dtype, else float32); matrices are converted to the
 *     compute dtype product by product
 * @param layers decoder layers to load (the first ones), or {@link #ALL_LAYERS}; layers past the output layer
 *     never run, so a caller that knows its output layer loads only what runs
 */
public record ModelOptions(String device, DType dtype, PlaceholderInit placeholder, int threads, DType weightsDtype,
        int layers) {

    /** {@link #layers()} value that loads every decoder layer. */
    public static final int ALL_LAYERS = -1;

    /** Validates and fills defaults. */
    public ModelOptions {
        device = device == null || device.isBlank() ? "cpu" : device.trim();
        placeholder = placeholder == null ? PlaceholderInit.zeros() : placeholder;
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 1 (or 0 for the cores the JVM sees), got "
                    + threads);
        }
        if (layers < ALL_LAYERS) {
            throw new IllegalArgumentException("layers must be >= 0 (or ALL_LAYERS), got " + layers);
        }
    }

    /**
     * @param device the device
     * @param dtype the compute dtype, or null for the device's default
     * @param placeholder the placeholder vector choice, or null for zeros
     * @param threads intra-op CPU threads, or 0 for the cores the JVM sees
     */
    public ModelOptions(String device, DType dtype, PlaceholderInit placeholder, int threads) {
        this(device, dtype, placeholder, threads, null, ALL_LAYERS);
    }

    /**
     * @param device the device
     * @param dtype the compute dtype, or null for the device's default
     * @param placeholder the placeholder vector choice, or null for zeros
     */
    public ModelOptions(String device, DType dtype, PlaceholderInit placeholder) {
        this(device, dtype, placeholder, 0);
    }

    /** @return CPU, default dtype, zero placeholder */
    public static ModelOptions defaults() {
        return new ModelOptions("cpu", null, null);
    }

    /**
     * @param device the device
     * @return a copy with another device
     */
    public ModelOptions withDevice(String device) {
        return new ModelOptions(device, dtype, placeholder, threads, weightsDtype, layers);
    }

    /**
     * @param dtype the dtype, or null for the device's default
     * @return a copy with another dtype
     */
    public ModelOptions withDtype(DType dtype) {
        return new ModelOptions(device, dtype, placeholder, threads, weightsDtype, layers);
    }

    /**
     * @param placeholder the placeholder vector choice
     * @return a copy with another placeholder choice
     */
    public ModelOptions withPlaceholder(PlaceholderInit placeholder) {
        return new ModelOptions(device, dtype, Objects.requireNonNull(placeholder, "placeholder"), threads,
                weightsDtype, layers);
    }

    /**
     * @param threads intra-op CPU threads, or 0 for the cores the JVM sees
     * @return a copy with another thread count
     */
    public ModelOptions withThreads(int threads) {
        return new ModelOptions(device, dtype, placeholder, threads, weightsDtype, layers);
    }

    /**
     * @param weightsDtype the dtype weight matrices are kept in, or null for the engine's default
     * @return a copy with another weights dtype
     */
    public ModelOptions withWeightsDtype(DType weightsDtype) {
        return new ModelOptions(device, dtype, placeholder, threads, weightsDtype, layers);
    }

    /**
     * @param layers decoder layers to load, or {@link #ALL_LAYERS}
     * @return a copy that loads that many layers
     */
    public ModelOptions withLayers(int layers) {
        return new ModelOptions(device, dtype, placeholder, threads, weightsDtype, layers);
    }

    /** @return the thread count to use: {@link #threads()}, or the processors the JVM sees when that is 0 */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** @return true when the device is a GPU */
    public boolean isGpu() {
        String d = device.toLowerCase(Locale.ROOT);
        return d.startsWith("cuda") || d.startsWith("gpu");
    }
}
