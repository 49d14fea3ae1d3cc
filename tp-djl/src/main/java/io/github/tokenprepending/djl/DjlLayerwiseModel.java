package io.github.tokenprepending.djl;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link LayerwiseModel} on DJL's PyTorch engine: the weights of a HuggingFace checkpoint live on the device
 * as tensors, and TorchScript blocks (which hold no weights) run the embedding, each decoder layer and the
 * pooling. Hidden states stay on the device between layers; only pooled rows come back.
 *
 * <p>Thread-safe: passes and prefix caches own their tensors; the weights are read-only.
 */
public final class DjlLayerwiseModel implements LayerwiseModel {
    private final Architecture architecture;
    private final DecoderSpec spec;
    private final TextTokenizer tokenizer;
    private final String deviceName;
    private final LoadPlan plan;
    private final DeviceWeights weights;
    private final Object lifecycle = new Object();
    private int activePasses; // guarded by lifecycle
    private boolean closing; // guarded by lifecycle

    /** IValues every call shares; created once, closed with the model. */
    record Constants(IValue eps, IValue activation, IValue yes, IValue no, IValue emptyPast,
            IValue finalNormWeight, IValue noNorm, IValue finalNormCode, IValue embedding, IValue placeholder,
            IValue embedScale, IValue window, IValue reduceRange, IValue noScratch) {
    }

    private DjlLayerwiseModel(Architecture architecture, TextTokenizer tokenizer, String deviceName,
            DeviceWeights weights) {
        this.architecture = architecture;
        this.spec = architecture.spec();
        this.tokenizer = tokenizer;
        this.deviceName = deviceName;
        this.plan = weights.plan();
        this.weights = weights;
    }

    /**
     * Builds a model from an architecture (what a family read from config.json), a weight source and a tokenizer.
     * The weights of the first {@link ModelOptions#layers()} decoder layers (all by default), the embedding and the
     * final norm are copied to the device: matrices in the weights dtype (16-bit ones of the leading layers that fit
     * in float32 under float32 compute on a CPU, {@link LoadPlan#widen}), norms and biases in the compute dtype; the
     * source may be closed afterwards. The {@link LoadPlan} is made and its memory checked before anything is
     * allocated; the {@link DeviceWeights} free themselves if a step fails. The tokenizer is owned by the model.
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
            boolean fastBf16 = CpuFeatures.fastBf16();
            LoadPlan planned = LoadPlan.of(architecture, options, () -> weights.dtype(architecture.embeddingWeight(),
                    new long[] {architecture.spec().vocabSize(), architecture.spec().hiddenSize()}),
                    engine.getGpuCount(), fastBf16);
            long available = ModelMemory.available(planned.device());
            LoadPlan plan = planned.widen(architecture, weights::contains, available, LoadPlan.widenCap(), fastBf16);
            plan.checkFits(architecture, weights::contains, available);
            return new DjlLayerwiseModel(architecture, tokenizer, options.device(), DeviceWeights.load(architecture,
                    weights, plan, options.placeholder(), tokenizer.placeholderId()));
        } catch (IOException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public int loadedLayers() {
        return plan.layers();
    }

    /** @return the dtype the weight matrices stay in (converted to {@link ModelInfo#dtype()} per product) */
    public DType weightsDtype() {
        return plan.weightsDtype();
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(architecture.family(), spec.modelType(), spec.numLayers(), spec.hiddenSize(),
                spec.vocabSize(), spec.maxPositions(), tokenizer.placeholderId(), spec.bosId(), plan.dtype(), deviceName,
                plan.weightsDtype(), plan.dtypeReason(), plan.widenedLayers());
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
        if (plan.layers() > loadedLayers()) {
            throw new IllegalArgumentException("the plan runs " + plan.layers() + " layers; the model has "
                    + spec.numLayers() + (loadedLayers() < spec.numLayers() ? ", of which " + loadedLayers()
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
        if (layers < 0 || layers > loadedLayers()) {
            throw new IllegalArgumentException("cannot cache " + layers + " layers of " + spec.numLayers()
                    + " (" + loadedLayers() + " loaded)");
        }
        TokenBatch batch = TokenBatch.of(new int[][] {ids}, new int[] {-1});
        checkIds(batch);
        return DjlPrefixCache.compute(this, ids, layers);
    }

    private void checkIds(TokenBatch batch) {
        int[] bad = batch.firstIdOutside(spec.vocabSize(), weights.hasPlaceholderVector());
        if (bad != null) {
            throw new IllegalArgumentException("row " + bad[0] + ", position " + bad[1] + ": token id "
                    + batch.id(bad[0], bad[1]) + " is outside the embedding's " + spec.vocabSize() + " rows");
        }
    }

    /** @return the device weights, which every pass and prefix computation reads */
    DeviceWeights weights() {
        return weights;
    }

    /** @return the layer block */
    LayerBlock block() {
        return architecture.block();
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
        weights.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return architecture.family() + " (" + spec.modelType() + ", " + spec.numLayers() + " layers, hidden "
                + spec.hiddenSize() + ", " + loadedLayers() + " loaded, " + plan.weightsDtype() + " weights ("
                + plan.widenedLayers() + " layers widened), "
                + plan.dtype() + " compute on " + deviceName + ")";
    }
}
