package io.github.tokenprepending.djl;

import ai.djl.Device;
import ai.djl.util.cuda.CudaUtils;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerWeight;
import io.github.tokenprepending.spi.DType;
import java.io.IOException;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * How much memory a model takes before it is loaded, and whether that fits: weights in the dtype they stay in
 * (matrices and the embedding in the weights dtype, norms and biases in the compute dtype; with int8 matrices the
 * embedding in the compute dtype; the matrices of widened layers, {@link LoadPlan#widenedLayers()}, in float32), plus
 * the largest matrix converted to the compute dtype for its product while some layer's matrices are narrower than
 * the compute dtype (int8: a layer being quantized while loading), one loading chunk, and activations at the default
 * batch budget (8192 tokens). Loading fails before anything is allocated when the estimate exceeds the memory available
 * ({@code MemAvailable} of {@code /proc/meminfo} on CPU, free device memory on a GPU); the system property
 * {@value #SKIP_PROPERTY}{@code =false} turns the check off.
 *
 * @param weightBytes resident weights
 * @param workingBytes transient memory of a pass (converted matrix, activations) and of loading
 * @param bytesPerLayer resident weights of one decoder layer
 */
record ModelMemory(long weightBytes, long workingBytes, long bytesPerLayer) {
    static final String SKIP_PROPERTY = "tp.memoryCheck";
    private static final long BATCH_TOKENS = 8192;

    /** @return weights plus working memory */
    long totalBytes() {
        return weightBytes + workingBytes;
    }

    /**
     * @param present whether the weight source has a tensor (optional biases it lacks take no memory)
     * @param widened the leading layers whose matrices are kept in float32 instead of the weights dtype
     */
    static ModelMemory estimate(Architecture architecture, int layers, DType weights, DType compute,
            Predicate<String> present, int widened) {
        DecoderSpec spec = architecture.spec();
        int w = bytes(weights);
        int c = bytes(compute);
        boolean int8 = weights == DType.INT8;
        long total = (long) spec.vocabSize() * spec.hiddenSize() * (int8 ? c : w) + (long) spec.hiddenSize() * c;
        long largestMatrix = (long) spec.vocabSize() * spec.hiddenSize();
        long perLayer = 0;
        long floatLayer = 0;
        for (int layer = 0; layer < layers; layer++) {
            long bytes = 0;
            long matrices = 0;
            for (BlockInput input : architecture.layerInputs(layer)) {
                if (input.optional() && input.parts().stream().noneMatch(p -> present.test(p.name()))) {
                    continue; // the block gets an empty tensor
                }
                long numel = 0;
                for (LayerWeight part : input.parts()) {
                    numel += Arrays.stream(part.shape()).reduce(1, (a, b) -> a * b);
                }
                boolean matrix = input.parts().get(0).shape().length == 2;
                bytes += numel * (!matrix ? c : layer < widened ? bytes(DType.FLOAT32) : w);
                if (matrix) {
                    largestMatrix = Math.max(largestMatrix, numel);
                    matrices += numel;
                }
            }
            total += bytes;
            perLayer = Math.max(perLayer, bytes);
            floatLayer = Math.max(floatLayer, matrices);
        }
        // 16-bit weights under wider compute: the largest matrix converted for its product, unless every layer is
        // widened; int8 weights: while loading, a layer's matrices as stored (up to float32) and the largest one in
        // float32 and int8
        long converted = int8 ? floatLayer * 4 + largestMatrix * 5
                : weights == compute || widened >= layers ? 0 : largestMatrix * c;
        long activations = BATCH_TOKENS * (2L * spec.intermediateSize() + 6L * spec.hiddenSize()) * c;
        return new ModelMemory(total, converted + activations + WeightLoader.CHUNK_BYTES, perLayer);
    }

    static int bytes(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> 4;
            case FLOAT16, BFLOAT16 -> 2;
            case INT8 -> 1;
        };
    }

    /**
     * @param device where the model goes
     * @return bytes the model may take there, or -1 where unknown
     */
    static long available(Device device) {
        if (device.isGpu()) {
            try {
                MemoryUsage usage = CudaUtils.getGpuMemory(device);
                return usage.getMax() - usage.getUsed();
            } catch (RuntimeException | LinkageError e) {
                return -1;
            }
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Fails when the model will not fit, naming what would make it fit.
     *
     * @param available bytes free where the model goes ({@link #available}), or -1 where unknown
     * @throws IllegalStateException with the estimate, the memory available and the options that would help
     */
    static void check(Architecture architecture, int layers, DType weights, DType compute, int widened,
            Device device, Predicate<String> present, long available) {
        if ("false".equalsIgnoreCase(System.getProperty(SKIP_PROPERTY))) {
            return;
        }
        DecoderSpec spec = architecture.spec();
        ModelMemory need = estimate(architecture, layers, weights, compute, present, widened);
        if (available < 0 || need.totalBytes() <= available) {
            return;
        }
        StringBuilder fixes = new StringBuilder();
        for (DType smaller : new DType[] {DType.BFLOAT16, DType.FLOAT16}) {
            if (bytes(smaller) < bytes(weights)) {
                ModelMemory halved = estimate(architecture, layers, smaller, compute, present, 0);
                fixes.append(String.format(Locale.ROOT, "%n  - 16-bit weights: --weights-dtype %s /"
                        + " .weightsDtype(DType.%s), about %s%s", smaller == DType.BFLOAT16 ? "bf16" : "fp16",
                        smaller, gib(halved.totalBytes()), halved.totalBytes() <= available ? " (fits)" : ""));
                break;
            }
        }
        if (weights != DType.INT8 && !device.isGpu()) {
            ModelMemory int8 = estimate(architecture, layers, DType.INT8, DType.FLOAT32, present, 0);
            fixes.append(String.format(Locale.ROOT, "%n  - int8 weights: --weights-dtype int8 /"
                    + " .weightsDtype(DType.INT8), about %s%s", gib(int8.totalBytes()),
                    int8.totalBytes() <= available ? " (fits)" : ""));
        }
        if (compute == DType.FLOAT32 && !device.isGpu()) {
            ModelMemory bf16 = estimate(architecture, layers, DType.BFLOAT16, DType.BFLOAT16, present, 0);
            fixes.append(String.format(Locale.ROOT, "%n  - bfloat16 compute and weights: --dtype bf16 /"
                    + " .dtype(DType.BFLOAT16), about %s%s (this CPU's bf16 instructions: %s)",
                    gib(bf16.totalBytes()), bf16.totalBytes() <= available ? " (fits)" : "",
                    CpuFeatures.bf16Support()));
        }
        long over = need.totalBytes() - available;
        int fewer = (int) Math.min(layers, (over + need.bytesPerLayer() - 1) / Math.max(1, need.bytesPerLayer()));
        if (fewer < layers) {
            fixes.append(String.format(Locale.ROOT, "%n  - an earlier output layer: each decoder layer takes %s;"
                    + " --output-layer %d / .outputLayer(%d) or earlier loads %d fewer", gib(need.bytesPerLayer()),
                    layers - fewer, layers - fewer, fewer));
        }
        if (!device.isGpu()) {
            fixes.append(String.format(Locale.ROOT, "%n  - a GPU: --device cuda:0 / .device(\"cuda:0\")"));
        }
        throw new IllegalStateException(String.format(Locale.ROOT, "the model will not fit: %d of %d decoder layers"
                + " (hidden %d, vocabulary %d) with %s weights and %s compute need about %s (weights %s, working"
                + " memory %s), but %s has only %s available. What would help:%s%nSet -D%s=false to load anyway.",
                layers, spec.numLayers(), spec.hiddenSize(), spec.vocabSize(), weights, compute,
                gib(need.totalBytes()), gib(need.weightBytes()), gib(need.workingBytes()),
                device.isGpu() ? device.toString() : "this machine", gib(available), fixes, SKIP_PROPERTY));
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
