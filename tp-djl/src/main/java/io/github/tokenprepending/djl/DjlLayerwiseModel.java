package io.github.tokenprepending.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.DType;
import io.github.tokenprepending.PlaceholderInit;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.LayerWeight;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LayerwiseModel} on DJL's PyTorch engine: the weights of a HuggingFace checkpoint live on the device
 * as tensors, and TorchScript blocks (which hold no weights) run the embedding, each decoder layer and the
 * pooling. Hidden states stay on the device between layers; only pooled rows come back.
 *
 * <p>Thread-safe: passes and prefix caches own their tensors; the weights are read-only.
 */
public final class DjlLayerwiseModel implements LayerwiseModel {
    private static final Logger LOG = LoggerFactory.getLogger(DjlLayerwiseModel.class);
    private final Architecture architecture;
    private final DecoderSpec spec;
    private final LayerBlock block;
    private final BlockContract.Signature layerSignature;
    private final TextTokenizer tokenizer;
    private final DType dtype;
    private final DType weightsDtype;
    private final int loadedLayers;
    private final String deviceName;
    private final PtNDManager manager;
    private final TorchBlocks blocks;
    private final PtNDArray embedding;
    private final PtNDArray placeholderVector;
    private final PtNDArray finalNorm;
    private final PtNDArray emptyPast;
    private final List<IValue> owned = new ArrayList<>();
    private final IValue[][] layerWeights;
    private final List<Map<String, IValue>> layerExtras;
    private final Constants constants;
    private final RopeTables rope;
    private final Object lifecycle = new Object();
    private int activePasses; // guarded by lifecycle
    private boolean closing; // guarded by lifecycle

    /** IValues every call shares; created once, closed with the model. */
    record Constants(IValue eps, IValue activation, IValue yes, IValue no, IValue emptyPast,
            IValue finalNormWeight, IValue noNorm, IValue finalNormCode, IValue embedding, IValue placeholder,
            IValue embedScale, IValue window) {
    }

    private DjlLayerwiseModel(Architecture architecture, WeightSource weights, TextTokenizer tokenizer,
            ModelOptions options, Device device, int loadedLayers, DType dtype, DType weightsDtype)
            throws IOException {
        this.architecture = architecture;
        this.spec = architecture.spec();
        this.block = architecture.block();
        this.layerSignature = BlockContract.bundled().block(block.resource());
        this.tokenizer = tokenizer;
        this.deviceName = options.device();
        this.dtype = dtype;
        this.weightsDtype = weightsDtype;
        this.loadedLayers = loadedLayers;
        this.manager = (PtNDManager) NDManager.newBaseManager(device, "PyTorch");
        this.blocks = new TorchBlocks(manager);
        this.rope = new RopeTables(spec, blocks, manager);
        try (WeightLoader loader = new WeightLoader(weights, manager, blocks)) {
            long h = spec.hiddenSize();
            long[] embeddingShape = {spec.vocabSize(), h};
            this.placeholderVector = placeholderVector(options.placeholder(), loader, embeddingShape,
                    tokenizer.placeholderId());
            this.embedding = loader.load(List.of(LayerWeight.required(architecture.embeddingWeight(),
                    embeddingShape)), weightsDtype);
            this.finalNorm = loader.load(List.of(LayerWeight.required(architecture.finalNormWeight(), h)), dtype);
            this.layerWeights = new IValue[loadedLayers][];
            this.layerExtras = new ArrayList<>();
            for (int layer = 0; layer < loadedLayers; layer++) {
                layerWeights[layer] = loadLayer(loader, layer);
                Map<String, IValue> extras = new LinkedHashMap<>();
                for (Map.Entry<String, Double> e : block.extraArguments(layer).entrySet()) {
                    extras.put(e.getKey(), own(IValue.from(e.getValue())));
                }
                layerExtras.add(extras);
            }
            this.emptyPast = cast((PtNDArray) manager.zeros(new Shape(1, spec.numKvHeads(), 0, spec.headDim())));
            this.constants = new Constants(
                    own(IValue.from(spec.rmsEps())),
                    own(IValue.from(BlockContract.bundled().code("activation", spec.activation()))),
                    own(IValue.from(true)),
                    own(IValue.from(false)),
                    own(IValue.from(emptyPast)),
                    own(IValue.from(finalNorm)),
                    own(IValue.from(BlockContract.bundled().code("norm", "none"))),
                    own(IValue.from(BlockContract.bundled().code("norm", block.finalNorm()))),
                    own(IValue.from(embedding)),
                    own(IValue.from(placeholderVector)),
                    own(IValue.from(spec.embedScale())),
                    own(IValue.from((long) block.slidingWindow())));
        } catch (IOException | RuntimeException e) {
            releaseNative();
            throw e;
        }
    }

    /**
     * Builds a model from an architecture (what a family read from config.json), a weight source and a tokenizer.
     * The weights of the first {@link ModelOptions#layers()} decoder layers (all by default), the embedding and the
     * final norm are copied to the device: matrices in the weights dtype, norms and biases in the compute dtype; the
     * source may be closed afterwards. Fails before loading anything when the estimated memory exceeds what is available. The tokenizer
     * is owned by the model.
     *
     * @param architecture the family's reading of the checkpoint
     * @param weights where the tensors come from
     * @param tokenizer the tokenizer (owned from now on)
     * @param options device, dtype, weights dtype, layers to load, placeholder vector
     * @return the model
     * @throws IOException if a weight is missing or malformed
     * @throws IllegalStateException if the model will not fit in memory (the message names the options that help)
     */
    public static DjlLayerwiseModel create(Architecture architecture, WeightSource weights,
            TextTokenizer tokenizer, ModelOptions options) throws IOException {
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(tokenizer, "tokenizer");
        Objects.requireNonNull(options, "options");
        Engine engine = DjlRuntime.engine();
        try {
            Device device = Devices.parse(options.device());
            if (device.isGpu()) {
                int gpus = engine.getGpuCount();
                if (device.getDeviceId() >= gpus) {
                    throw new IllegalArgumentException("device " + options.device() + " requested, but the PyTorch"
                            + " engine sees " + gpus + " GPU(s); " + DjlRuntime.CUDA_HINT);
                }
            }
            DecoderSpec spec = architecture.spec();
            int layers = options.layers() == ModelOptions.ALL_LAYERS ? spec.numLayers() : options.layers();
            if (layers > spec.numLayers()) {
                throw new IllegalArgumentException("cannot load " + layers + " decoder layers of a model with "
                        + spec.numLayers());
            }
            DType dtype = options.dtype() != null ? options.dtype() : device.isGpu() ? DType.BFLOAT16 : DType.FLOAT32;
            if (dtype == DType.BFLOAT16 && !device.isGpu() && !CpuFeatures.fastBf16()) {
                LOG.warn("bfloat16 compute on a CPU without AVX512-BF16 or AMX-BF16: products are emulated and"
                        + " slower than float32; --weights-dtype bf16 with float32 compute saves the same memory");
            }
            DType weightsDtype = options.weightsDtype() != null ? options.weightsDtype()
                    : defaultWeightsDtype(dtype, weights.dtype(architecture.embeddingWeight(),
                            new long[] {spec.vocabSize(), spec.hiddenSize()}));
            if (dtype == DType.FLOAT32 && weightsDtype != DType.FLOAT32 && !device.isGpu()
                    && CpuFeatures.fastBf16()) {
                LOG.info("{} weights under float32 compute are widened product by product; this CPU has {}:"
                        + " --dtype bf16 computes natively and is several times faster (embeddings then differ from"
                        + " float32 by ~1e-2 relative)", weightsDtype, CpuFeatures.bf16Support());
            }
            ModelMemory.check(architecture, layers, weightsDtype, dtype, device, weights::contains);
            return new DjlLayerwiseModel(architecture, weights, tokenizer, options, device, layers, dtype,
                    weightsDtype);
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The weights dtype when none is asked for: the compute dtype when that is 16-bit; under float32 compute the
     * checkpoint's own 16-bit dtype (kept as stored, half the memory, converted product by product), else float32.
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
     * Loads a layer's weights, one IValue per weight slot of the block, in the manifest's slot order: matrices in the
     * weights dtype, norms and biases in the compute dtype.
     */
    private IValue[] loadLayer(WeightLoader loader, int layer) throws IOException {
        List<BlockInput> inputs = architecture.layerInputs(layer);
        List<String> slots = layerSignature.weights();
        List<String> given = inputs.stream().map(BlockInput::slot).toList();
        if (!given.equals(slots)) {
            throw new IllegalStateException(architecture.family() + " fills weight slots " + given + " of "
                    + block.resource() + ", whose manifest lists " + slots);
        }
        IValue[] values = new IValue[inputs.size()];
        for (int i = 0; i < values.length; i++) {
            List<LayerWeight> parts = inputs.get(i).parts();
            values[i] = own(IValue.from(loader.load(parts, parts.get(0).shape().length == 2 ? weightsDtype : dtype)));
        }
        return values;
    }

    private PtNDArray placeholderVector(PlaceholderInit init, WeightLoader loader, long[] embeddingShape,
            int placeholderId) throws IOException {
        int h = spec.hiddenSize();
        if (init instanceof PlaceholderInit.CheckpointRow) {
            if (placeholderId >= spec.vocabSize()) {
                throw new IllegalArgumentException("the placeholder id " + placeholderId + " is outside the"
                        + " checkpoint's " + spec.vocabSize() + " embedding rows: it has no stored <PST> row");
            }
            return cast((PtNDArray) manager.zeros(new Shape(0)));
        }
        if (init instanceof PlaceholderInit.CopyOfToken copy) {
            if (copy.tokenId() < 0 || copy.tokenId() >= spec.vocabSize()) {
                throw new IllegalArgumentException("cannot copy token " + copy.tokenId() + " into <PST>: the"
                        + " embedding has " + spec.vocabSize() + " rows");
            }
            return loader.loadRow(architecture.embeddingWeight(), embeddingShape, copy.tokenId(), dtype);
        }
        float[] v = new float[h];
        if (init instanceof PlaceholderInit.Gaussian gaussian) {
            Random random = new Random(gaussian.seed());
            for (int i = 0; i < h; i++) {
                v[i] = (float) random.nextGaussian();
            }
        }
        return cast((PtNDArray) manager.create(v));
    }

    /** Converts an array to the compute dtype inside TorchScript, freeing the original. */
    private PtNDArray cast(NDArray array) {
        PtNDArray source = (PtNDArray) array;
        if (dtype == DType.FLOAT32 && source.getDataType() == DataType.FLOAT32
                || dtype == DType.FLOAT16 && source.getDataType() == DataType.FLOAT16) {
            return source;
        }
        try (IValue in = IValue.from(source); IValue code = IValue.from(BlockContract.bundled().code("dtype", dtype));
                IValue out = blocks.call(blocks.signature("cast.pt").call().set("x", in).set("dtype", code))) {
            PtNDArray result = out.toTensor(manager);
            source.close();
            return result;
        }
    }

    private IValue own(IValue value) {
        owned.add(value);
        return value;
    }

    @Override
    public int loadedLayers() {
        return loadedLayers;
    }

    /** @return the dtype the weight matrices stay in (converted to {@link ModelInfo#dtype()} per product) */
    public DType weightsDtype() {
        return weightsDtype;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(architecture.family(), spec.modelType(), spec.numLayers(), spec.hiddenSize(),
                spec.vocabSize(), spec.maxPositions(), tokenizer.placeholderId(), spec.bosId(), dtype, deviceName);
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** @return the architecture */
    public DecoderSpec spec() {
        return spec;
    }

    @Override
    public ForwardPass start(TokenBatch batch, PassPlan plan) {
        ensureOpen();
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(plan, "plan");
        if (plan.layers() > loadedLayers) {
            throw new IllegalArgumentException("the plan runs " + plan.layers() + " layers; the model has "
                    + spec.numLayers() + (loadedLayers < spec.numLayers() ? ", of which " + loadedLayers
                    + " are loaded" : ""));
        }
        DjlPrefixCache prefix = null;
        if (plan.prefix() != null) {
            if (!(plan.prefix() instanceof DjlPrefixCache cache) || cache.owner() != this) {
                throw new IllegalArgumentException("the prefix cache belongs to another model");
            }
            prefix = cache;
            cache.checkBatch(batch, plan.prefixLength());
        }
        checkIds(batch);
        return new DjlForwardPass(this, batch, plan, prefix);
    }

    @Override
    public boolean supportsPrefixCache() {
        return true;
    }

    @Override
    public PrefixCache cachePrefix(int[] ids, int layers) {
        ensureOpen();
        if (ids.length == 0) {
            throw new IllegalArgumentException("an empty prefix cannot be cached");
        }
        if (layers < 0 || layers > loadedLayers) {
            throw new IllegalArgumentException("cannot cache " + layers + " layers of " + spec.numLayers()
                    + " (" + loadedLayers + " loaded)");
        }
        TokenBatch batch = TokenBatch.of(new int[][] {ids}, new int[] {-1});
        checkIds(batch);
        return DjlPrefixCache.compute(this, ids, layers);
    }

    private void checkIds(TokenBatch batch) {
        int[] bad = batch.firstIdOutside(spec.vocabSize(), placeholderVector.size() > 0);
        if (bad != null) {
            throw new IllegalArgumentException("row " + bad[0] + ", position " + bad[1] + ": token id "
                    + batch.id(bad[0], bad[1]) + " is outside the embedding's " + spec.vocabSize() + " rows");
        }
    }

    // package-private accessors for the pass and the prefix cache

    PtNDManager manager() {
        return manager;
    }

    TorchBlocks blocks() {
        return blocks;
    }

    LayerBlock block() {
        return block;
    }

    /** @return the layer block's signature (argument and weight slot names) */
    BlockContract.Signature layerSignature() {
        return layerSignature;
    }

    /** @return a layer's weights, in the order of {@link #layerSignature()}'s weight slots */
    IValue[] layerWeights(int layer) {
        return layerWeights[layer];
    }

    /** @return a layer's extra arguments by name ({@link LayerBlock#extraArguments}) */
    Map<String, IValue> layerExtras(int layer) {
        return layerExtras.get(layer);
    }

    Constants constants() {
        return constants;
    }

    RopeTables rope() {
        return rope;
    }

    void ensureOpen() {
        synchronized (lifecycle) {
            if (closing) {
                throw new IllegalStateException("the model is closed");
            }
        }
    }

    /** A pass (or a prefix computation) begins: the model's native memory stays until it ends. */
    void acquirePass() {
        synchronized (lifecycle) {
            if (closing) {
                throw new IllegalStateException("the model is closed");
            }
            activePasses++;
        }
    }

    /** A pass ended; frees the model if it was closed meanwhile and this was the last pass. */
    void releasePass() {
        boolean free;
        synchronized (lifecycle) {
            free = --activePasses == 0 && closing;
        }
        if (free) {
            releaseAll();
        }
    }

    /**
     * Frees the weights, the blocks and the tokenizer. New passes fail from now on; passes still running keep the
     * native memory they use until they are closed, and the last one frees it. Closing twice is harmless.
     */
    @Override
    public void close() {
        boolean free;
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
            free = activePasses == 0;
        }
        if (free) {
            releaseAll();
        }
    }

    private void releaseAll() {
        releaseNative();
        tokenizer.close();
    }

    private void releaseNative() {
        owned.forEach(IValue::close);
        owned.clear();
        rope.close();
        blocks.close();
        manager.close();
    }

    @Override
    public String toString() {
        return architecture.family() + " (" + spec.modelType() + ", " + spec.numLayers() + " layers, hidden "
                + spec.hiddenSize() + ", " + loadedLayers + " loaded, " + weightsDtype + " weights, " + dtype
                + " compute on " + deviceName + ")";
    }
}
