package io.github.tokenprepending.djl;

import ai.djl.Device;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a load will put where, decided before anything native is allocated: the device, how many decoder layers, the
 * compute dtype, the dtype the weight matrices stay in, and how many leading layers keep them in float32 instead
 * ({@link #widen}). Pure: the GPU count, the CPU's bf16 support, the memory available and the widening cap are
 * arguments, so every rule here is testable without libtorch. A new weights format (say int8) is a new
 * {@link #weightsDtype()} value: its default rule lives in {@link #defaultWeightsDtype}, its size in
 * {@link ModelMemory}, its device tensors in {@link DeviceWeights}.
 *
 * @param device where the weights go
 * @param layers the decoder layers to load (the first ones)
 * @param dtype the compute dtype
 * @param weightsDtype the dtype of the weight matrices and the embedding (norms and biases take the compute dtype;
 *     with int8 matrices the embedding does too)
 * @param widenedLayers the leading decoder layers whose matrices are kept in float32 instead of the weights dtype,
 *     so that float32 compute converts nothing per product ({@link #widen})
 * @param dtypeReason why the compute dtype was chosen ({@link ComputeDtype})
 */
public record LoadPlan(Device device, int layers, DType dtype, DType weightsDtype, int widenedLayers,
        String dtypeReason) {
    /** The system property that caps {@link #widenedLayers()} ({@code 0}: widen none). */
    static final String WIDEN_PROPERTY = "tp.widenLayers";
    private static final Logger LOG = LoggerFactory.getLogger(LoadPlan.class);

    /** Checks the widened layers against the loaded ones. */
    public LoadPlan {
        if (widenedLayers < 0 || widenedLayers > layers) {
            throw new IllegalArgumentException("cannot widen " + widenedLayers + " of " + layers + " layers");
        }
    }

    /**
     * Applies the defaults, widening no layer ({@link #widen} decides that): every layer; the compute dtype of
     * {@link ComputeDtype} ({@code auto}: bfloat16 on a GPU, and on a CPU with native bfloat16 products when the
     * weights are 16-bit, else float32); weights in the compute dtype when that is 16-bit, else as stored (see
     * {@link #defaultWeightsDtype}).
     *
     * @param architecture what the family read from config.json
     * @param options the caller's device, dtype, weights dtype and layers
     * @param storedEmbedding how the checkpoint stores its embedding (the weights dtype default follows it); read
     *     only when no weights dtype is asked for
     * @param gpuCount the GPUs the engine sees
     * @param fastBf16 whether this CPU has native bfloat16 products (only for advice in the log)
     * @return the plan
     * @throws IllegalArgumentException for a GPU the engine does not see, or more layers than the model has
     * @throws IOException if the stored dtype cannot be read
     */
    public static LoadPlan of(Architecture architecture, ModelOptions options, StoredDtype storedEmbedding,
            int gpuCount, boolean fastBf16) throws IOException {
        Device device = Devices.parse(options.device());
        if (device.isGpu() && device.getDeviceId() >= gpuCount) {
            throw new IllegalArgumentException("device " + options.device() + " requested, but libtorch sees "
                    + gpuCount + " CUDA device" + (gpuCount == 1 ? "" : "s") + "; " + DjlRuntime.CUDA_HINT);
        }
        DecoderSpec spec = architecture.spec();
        int layers = options.layers() == ModelOptions.ALL_LAYERS ? spec.numLayers() : options.layers();
        if (layers > spec.numLayers()) {
            throw new IllegalArgumentException("cannot load " + layers + " decoder layers of a model with "
                    + spec.numLayers());
        }
        if (options.dtype() == DType.INT8) {
            throw new IllegalArgumentException("int8 is a weights dtype (--weights-dtype int8 /"
                    + " .weightsDtype(DType.INT8)), not a compute dtype: int8 weights compute in float32");
        }
        if (options.weightsDtype() == DType.INT8 && device.isGpu()) {
            throw new IllegalArgumentException("int8 weights run on CPUs (libtorch's FBGEMM and QNNPACK kernels);"
                    + " on " + options.device() + " use --weights-dtype fp16 or bf16");
        }
        if (options.weightsDtype() == DType.INT8 && options.dtype() != null && options.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("int8 weights compute in float32, not " + options.dtype()
                    + ": drop --dtype, or keep 16-bit weights (--weights-dtype fp16 or bf16)");
        }
        ComputeDtype chosen = ComputeDtype.choose(options.dtype(), options.weightsDtype(), storedEmbedding,
                device.isGpu(), fastBf16 ? CpuFeatures.bf16Support() : "none");
        DType dtype = chosen.dtype();
        DType weightsDtype = options.weightsDtype() != null ? options.weightsDtype()
                : defaultWeightsDtype(dtype, storedEmbedding.get());
        if (!device.isGpu() && dtype == DType.BFLOAT16 && !fastBf16) {
            LOG.warn("bfloat16 compute on a CPU without AVX512-BF16 or AMX-BF16: products are emulated and"
                    + " slower than float32; --weights-dtype bf16 with float32 compute saves the same memory");
        }
        return new LoadPlan(device, layers, dtype, weightsDtype, 0, chosen.reason());
    }

    /**
     * This plan with as many leading layers widened as the memory allows. 16-bit matrices under float32 compute on a
     * CPU are converted to float32 for every product, which dominates small batches; a widened layer keeps float32
     * copies instead (twice the memory of its matrices, converted once, at load). The count is the largest, up to
     * {@code cap}, that keeps the {@link ModelMemory} estimate (widened matrices at 4 bytes an element, the
     * per-product conversion counted only while some layer stays narrow) within half of the memory available. No
     * layer is widened on a GPU, with int8 or float32 weights, under 16-bit compute, or when the memory available is
     * unknown.
     *
     * @param architecture the architecture the plan was made for
     * @param present whether the weight source has a tensor
     * @param availableBytes what the machine has free ({@link ModelMemory#available}), or -1 where unknown
     * @param cap the most layers to widen ({@link #widenCap()})
     * @param fastBf16 whether this CPU has native bfloat16 products (only for advice in the log)
     * @return the plan with {@link #widenedLayers()} set
     */
    LoadPlan widen(Architecture architecture, Predicate<String> present, long availableBytes, int cap,
            boolean fastBf16) {
        if (device.isGpu() || dtype != DType.FLOAT32
                || weightsDtype != DType.FLOAT16 && weightsDtype != DType.BFLOAT16) {
            return this;
        }
        int widened = 0;
        String why;
        if (availableBytes < 0) {
            why = "the memory available is unknown";
        } else {
            for (int k = Math.min(cap, layers); k > 0; k--) {
                if (ModelMemory.estimate(architecture, layers, weightsDtype, dtype, present, k).totalBytes()
                        <= availableBytes / 2) {
                    widened = k;
                    break;
                }
            }
            why = widened == cap ? "-D" + WIDEN_PROPERTY + "=" + cap : "widening more would take over half of the "
                    + ModelMemory.gib(availableBytes) + " available";
        }
        if (widened > 0) {
            LOG.info("widened the first {} of {} decoder layers: their {} matrices are held in float32, converted"
                    + " once at load instead of for every product of float32 compute (the estimate stays within"
                    + " half of the {} available)", widened, layers, weightsDtype, ModelMemory.gib(availableBytes));
        }
        if (widened < layers) {
            LOG.info("the last {} of {} decoder layers keep {} matrices, converted to float32 for every product ({}){}",
                    layers - widened, layers, weightsDtype, why, fastBf16 ? "; this CPU has "
                    + CpuFeatures.bf16Support() + ": --dtype bf16 computes natively and is several times faster"
                    + " (embeddings then differ from float32 by ~1e-2 relative)" : "; on this CPU (no native"
                    + " bfloat16 products) --weights-dtype int8 is the fast path");
        }
        return new LoadPlan(device, layers, dtype, weightsDtype, widened, dtypeReason);
    }

    /**
     * @return the system property {@value #WIDEN_PROPERTY} as a layer count, or {@link Integer#MAX_VALUE} when unset
     * @throws IllegalArgumentException when it is not a count (a whole number, 0 or more)
     */
    static int widenCap() {
        String value = System.getProperty(WIDEN_PROPERTY);
        if (value == null) {
            return Integer.MAX_VALUE;
        }
        int cap;
        try {
            cap = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            cap = -1;
        }
        if (cap >= 0) {
            return cap;
        }
        throw new IllegalArgumentException("-D" + WIDEN_PROPERTY + " must be a number of layers (0 or more, 0:"
                + " widen none), not '" + value + "'");
    }

    /**
     * @param layer a decoder layer
     * @return the dtype its matrices are kept in: float32 for a widened layer, else the weights dtype
     */
    DType matrixDtype(int layer) {
        return layer < widenedLayers ? DType.FLOAT32 : weightsDtype;
    }

    /** How a checkpoint stores a tensor, read on demand. */
    @FunctionalInterface
    public interface StoredDtype {
        /**
         * @return the stored dtype
         * @throws IOException if the tensor is missing or malformed
         */
        TensorDtype get() throws IOException;
    }

    /**
     * The weights dtype when none is asked for: the compute dtype when that is 16-bit; under float32 compute the
     * checkpoint's own 16-bit dtype (kept as stored, half the memory, converted product by product), else float32.
     *
     * @param compute the compute dtype
     * @param stored how the checkpoint stores its embedding
     * @return the weights dtype
     */
    static DType defaultWeightsDtype(DType compute, TensorDtype stored) {
        if (compute != DType.FLOAT32) {
            return compute;
        }
        return switch (stored) {
            case F16 -> DType.FLOAT16;
            case BF16 -> DType.BFLOAT16;
            default -> DType.FLOAT32;
        };
    }

    /**
     * Fails when the plan, widened layers included, will not fit, naming what would make it fit
     * ({@link ModelMemory#check}).
     *
     * @param architecture the architecture the plan was made for
     * @param present whether the weight source has a tensor
     * @param availableBytes what the device has free, or -1 where unknown (then nothing is checked)
     * @throws IllegalStateException with the estimate, the memory available and the options that would help
     */
    void checkFits(Architecture architecture, Predicate<String> present, long availableBytes) {
        ModelMemory.check(architecture, layers, weightsDtype, dtype, widenedLayers, device, present, availableBytes);
    }
}
