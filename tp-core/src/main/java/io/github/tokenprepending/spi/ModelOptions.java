package io.github.tokenprepending.spi;

import io.github.tokenprepending.DType;
import io.github.tokenprepending.PlaceholderInit;
import java.util.Locale;
import java.util.Objects;

/**
 * How to load a model.
 *
 * @param device {@code cpu} or {@code cuda:N} (also {@code gpu}, {@code gpu:N})
 * @param dtype compute dtype, or null for the default (float32 on CPU, bfloat16 on GPU)
 * @param placeholder the {@code <PST>} input vector
 */
public record ModelOptions(String device, DType dtype, PlaceholderInit placeholder) {

    /** Validates and fills defaults. */
    public ModelOptions {
        device = device == null || device.isBlank() ? "cpu" : device.trim();
        placeholder = placeholder == null ? PlaceholderInit.zeros() : placeholder;
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
        return new ModelOptions(device, dtype, placeholder);
    }

    /**
     * @param dtype the dtype, or null for the device's default
     * @return a copy with another dtype
     */
    public ModelOptions withDtype(DType dtype) {
        return new ModelOptions(device, dtype, placeholder);
    }

    /**
     * @param placeholder the placeholder vector choice
     * @return a copy with another placeholder choice
     */
    public ModelOptions withPlaceholder(PlaceholderInit placeholder) {
        return new ModelOptions(device, dtype, Objects.requireNonNull(placeholder, "placeholder"));
    }

    /** @return true when the device is a GPU */
    public boolean isGpu() {
        String d = device.toLowerCase(Locale.ROOT);
        return d.startsWith("cuda") || d.startsWith("gpu");
    }
}
