package io.github.tokenprepending.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.LayerWeight;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.PlaceholderInit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A model's tensors on its device, as a {@link LoadPlan} asked for: the embedding and the weight matrices in the
 * weights dtype (the matrices of its widened layers in float32), norms and biases in the compute dtype, the
 * {@code <PST>} vector, rotary tables, the TorchScript blocks, and the IValues every pass shares. Read-only once
 * loaded; each pass reads them, and {@link #close()} frees them all. If loading fails at any step, everything
 * allocated so far (the manager included) is freed before the error propagates. Where a new weights dtype changes
 * how a matrix is held, {@link #loadLayer} and the embedding load are the places.
 */
final class DeviceWeights implements AutoCloseable {
    private final Architecture architecture;
    private final DecoderSpec spec;
    private final LoadPlan plan;
    private final BlockContract.Signature layerSignature;
    private final PtNDManager manager;
    private final List<IValue> owned = new ArrayList<>();
    private final IValue[][] layerWeights;
    private final IValue[] layerPacked;
    private final List<Map<String, IValue>> layerExtras = new ArrayList<>();
    private TorchBlocks blocks;
    private RopeTables rope;
    private PtNDArray placeholderVector;
    private DjlLayerwiseModel.Constants constants;
    private long scratchElements;

    private DeviceWeights(Architecture architecture, LoadPlan plan, PtNDManager manager) {
        this.architecture = architecture;
        this.spec = architecture.spec();
        this.plan = plan;
        this.layerSignature = BlockContract.bundled().block(architecture.block().resource());
        this.manager = manager;
        this.layerWeights = new IValue[plan.layers()][];
        this.layerPacked = new IValue[plan.layers()];
    }

    /**
     * Copies what the plan asks for to its device; the source may be closed afterwards.
     *
     * @param architecture what the family read from config.json
     * @param source where the tensors come from
     * @param plan device, layers and dtypes
     * @param placeholder how the {@code <PST>} vector starts
     * @param placeholderId the tokenizer's {@code <PST>} id
     * @return the weights; close them
     * @throws IOException if a weight is missing or malformed (nothing stays allocated)
     */
    static DeviceWeights load(Architecture architecture, WeightSource source, LoadPlan plan,
            PlaceholderInit placeholder, int placeholderId) throws IOException {
        return load(architecture, source, plan, placeholder, placeholderId,
                (PtNDManager) NDManager.newBaseManager(plan.device(), "PyTorch"));
    }

    /** As {@link #load(Architecture, WeightSource, LoadPlan, PlaceholderInit, int)} into a given manager, owned. */
    static DeviceWeights load(Architecture architecture, WeightSource source, LoadPlan plan,
            PlaceholderInit placeholder, int placeholderId, PtNDManager manager) throws IOException {
        DeviceWeights weights = null;
        try {
            weights = new DeviceWeights(architecture, plan, manager);
            weights.fill(source, placeholder, placeholderId);
            return weights;
        } catch (IOException | RuntimeException | Error e) {
            if (weights != null) {
                weights.close();
            } else {
                manager.close();
            }
            throw e;
        }
    }

    private void fill(WeightSource source, PlaceholderInit placeholder, int placeholderId) throws IOException {
        blocks = new TorchBlocks(manager);
        rope = new RopeTables(spec, blocks, manager);
        LayerBlock block = architecture.block();
        try (WeightLoader loader = new WeightLoader(source, manager, blocks)) {
            long h = spec.hiddenSize();
            long[] embeddingShape = {spec.vocabSize(), h};
            placeholderVector = placeholderVector(placeholder, loader, embeddingShape, placeholderId);
            PtNDArray embedding = loader.load(List.of(LayerWeight.required(architecture.embeddingWeight(),
                    embeddingShape)), plan.weightsDtype() == DType.INT8 ? plan.dtype() : plan.weightsDtype());
            PtNDArray finalNorm = loader.load(List.of(LayerWeight.required(architecture.finalNormWeight(), h)),
                    plan.dtype());
            IValue noPacked = plan.weightsDtype() == DType.INT8 ? null : own(Int8Matrices.none(blocks));
            for (int layer = 0; layer < plan.layers(); layer++) {
                layerWeights[layer] = loadLayer(loader, layer);
                if (noPacked != null) {
                    layerPacked[layer] = noPacked;
                }
                Map<String, IValue> extras = new LinkedHashMap<>();
                for (Map.Entry<String, Double> e : block.extraArguments(layer).entrySet()) {
                    extras.put(e.getKey(), own(IValue.from(e.getValue())));
                }
                layerExtras.add(extras);
            }
            PtNDArray emptyPast = cast((PtNDArray) manager.zeros(new Shape(1, spec.numKvHeads(), 0,
                    spec.headDim())));
            constants = new DjlLayerwiseModel.Constants(
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
                    own(IValue.from((long) block.slidingWindow())),
                    own(IValue.from(CpuFeatures.int8ReduceRange())),
                    own(IValue.from(cast((PtNDArray) manager.zeros(new Shape(0))))));
        }
    }

    /**
     * Loads a layer's weights, one IValue per weight slot of the block, in the manifest's slot order: matrices in
     * {@link LoadPlan#matrixDtype}, norms and biases in the compute dtype. With int8 weights the matrices are read as
     * the checkpoint stores them, quantized together and freed ({@link Int8Matrices}); their slots then hold shapes
     * only, and {@link #layerPacked} the int8 matrices.
     */
    private IValue[] loadLayer(WeightLoader loader, int layer) throws IOException {
        List<BlockInput> inputs = architecture.layerInputs(layer);
        List<String> slots = layerSignature.weights();
        List<String> given = inputs.stream().map(BlockInput::slot).toList();
        if (!given.equals(slots)) {
            throw new IllegalStateException(architecture.family() + " fills weight slots " + given + " of "
                    + architecture.block().resource() + ", whose manifest lists " + slots);
        }
        if (plan.weightsDtype() == DType.INT8) {
            Int8Matrices.Layer q = Int8Matrices.load(inputs, architecture.block().resource(), loader, blocks,
                    plan.dtype());
            layerPacked[layer] = own(q.packed());
            for (IValue v : q.slots()) {
                own(v);
            }
            return q.slots();
        }
        IValue[] values = new IValue[inputs.size()];
        boolean converted = plan.matrixDtype(layer) != plan.dtype() && !plan.device().isGpu()
                && (plan.dtype() == DType.FLOAT32 || plan.dtype() == DType.FLOAT16);
        for (int i = 0; i < values.length; i++) {
            List<LayerWeight> parts = inputs.get(i).parts();
            boolean matrix = parts.get(0).shape().length == 2;
            values[i] = own(IValue.from(loader.load(parts, matrix ? plan.matrixDtype(layer) : plan.dtype())));
            if (matrix && converted) {
                long elements = parts.stream().mapToLong(p -> Arrays.stream(p.shape()).reduce(1, (a, b) -> a * b))
                        .sum();
                scratchElements = Math.max(scratchElements, elements);
            }
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
            return loader.loadRow(architecture.embeddingWeight(), embeddingShape, copy.tokenId(), plan.dtype());
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
        DType dtype = plan.dtype();
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

    /** @return the plan these weights follow */
    LoadPlan plan() {
        return plan;
    }

    /** @return the manager every weight lives in; passes open their scopes under it */
    PtNDManager manager() {
        return manager;
    }

    TorchBlocks blocks() {
        return blocks;
    }

    RopeTables rope() {
        return rope;
    }

    /**
     * @return the elements of the buffer a CPU pass converts 16-bit matrices into for their float32 (or float16)
     *     products, as large as the largest matrix that needs it; 0 where none does (widened or int8 layers, matching
     *     dtypes, a GPU, whose caching allocator already reuses conversion memory)
     */
    long scratchElements() {
        return scratchElements;
    }

    /**
     * @param passManager the pass's manager, which frees the buffer with the pass
     * @return a new, uninitialised conversion buffer of {@link #scratchElements()} in the compute dtype, or null
     *     where no layer converts its matrices
     */
    PtNDArray newScratch(PtNDManager passManager) {
        if (scratchElements == 0) {
            return null;
        }
        return (PtNDArray) passManager.create(new Shape(scratchElements),
                plan.dtype() == DType.FLOAT16 ? DataType.FLOAT16 : DataType.FLOAT32);
    }

    DjlLayerwiseModel.Constants constants() {
        return constants;
    }

    /** @return the layer block's signature (argument and weight slot names) */
    BlockContract.Signature layerSignature() {
        return layerSignature;
    }

    /** @return a layer's int8 matrices (its block's {@code packed} argument); an empty list for float weights */
    IValue layerPacked(int layer) {
        return layerPacked[layer];
    }

    /** @return a layer's weights, in the order of {@link #layerSignature()}'s weight slots */
    IValue[] layerWeights(int layer) {
        return layerWeights[layer];
    }

    /** @return a layer's extra arguments by name ({@link LayerBlock#extraArguments}) */
    Map<String, IValue> layerExtras(int layer) {
        return layerExtras.get(layer);
    }

    /** @return whether a {@code <PST>} vector replaces the checkpoint's row (else the row is used as stored) */
    boolean hasPlaceholderVector() {
        return placeholderVector.size() > 0;
    }

    /** Frees every tensor and block; harmless after a partial load and when called twice. */
    @Override
    public void close() {
        owned.forEach(IValue::close);
        owned.clear();
        if (rope != null) {
            rope.close();
        }
        if (blocks != null) {
            blocks.close();
        }
        manager.close();
    }
}
