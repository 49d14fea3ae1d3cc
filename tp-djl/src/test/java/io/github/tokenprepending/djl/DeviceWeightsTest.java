package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.ModelFamilies;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device weights free everything they allocated, whether loading finishes or a step of it throws. */
class DeviceWeightsTest {
    private static final String LAYER_1_DOWN = "model.layers.1.mlp.down_proj.weight";

    @BeforeAll
    static void engine() {
        DjlRuntime.init();
    }

    @Test
    void aWeightThatFailsMidwayLeavesNothingAllocated() throws IOException {
        Architecture architecture = architecture();
        PtNDManager manager = manager();
        NDArray earlier = manager.zeros(new ai.djl.ndarray.types.Shape(4));
        try (CheckpointWeights checkpoint = CheckpointWeights.open(GoldenModels.dir("llama3"))) {
            WeightSource failing = failingAt(checkpoint, LAYER_1_DOWN);

            assertThatThrownBy(() -> DeviceWeights.load(architecture, failing, plan(architecture),
                    PlaceholderInit.checkpointRow(), 299, manager))
                    .isInstanceOf(IOException.class).hasMessageContaining(LAYER_1_DOWN);
        }
        assertThat(manager.isOpen()).isFalse();
        assertThat(earlier.isReleased()).isTrue();
    }

    @Test
    void aPlaceholderOutsideTheVocabularyFailsAfterTheBlocksAndLeavesNothingAllocated() throws IOException {
        Architecture architecture = architecture();
        PtNDManager manager = manager();
        try (CheckpointWeights checkpoint = CheckpointWeights.open(GoldenModels.dir("llama3"))) {
            assertThatThrownBy(() -> DeviceWeights.load(architecture, checkpoint, plan(architecture),
                    PlaceholderInit.copyOf(300), 299, manager))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot copy token 300 into <PST>: the embedding has 300 rows");
        }
        assertThat(manager.isOpen()).isFalse();
    }

    @Test
    void closingLoadedWeightsFreesTheManager() throws IOException {
        Architecture architecture = architecture();
        PtNDManager manager = manager();
        try (CheckpointWeights checkpoint = CheckpointWeights.open(GoldenModels.dir("llama3"));
                DeviceWeights weights = DeviceWeights.load(architecture, checkpoint, plan(architecture),
                        PlaceholderInit.checkpointRow(), 299, manager)) {
            assertThat(weights.layerWeights(3)).hasSize(weights.layerSignature().weights().size());
            assertThat(manager.isOpen()).isTrue();
        }
        assertThat(manager.isOpen()).isFalse();
    }

    /**
     * 16-bit matrices under float32 compute are converted into one buffer per pass, as large as the largest of them;
     * widened layers, float32 and int8 weights convert nothing.
     */
    @Test
    void theConversionBufferFitsTheLargestMatrixOfTheLayersThatAreConverted() throws IOException {
        Architecture architecture = architecture();
        DecoderSpec spec = architecture.spec();
        long hidden = spec.hiddenSize();
        long qkv = (long) (spec.numHeads() + 2 * spec.numKvHeads()) * spec.headDim() * hidden;
        long largest = Math.max(Math.max(qkv, hidden * spec.numHeads() * spec.headDim()),
                2L * spec.intermediateSize() * hidden);
        ModelOptions fp16 = ModelOptions.defaults().withDtype(DType.FLOAT32).withWeightsDtype(DType.FLOAT16);
        LoadPlan narrow = LoadPlan.of(architecture, fp16, () -> TensorDtype.F32, 0, false);
        LoadPlan widened = narrow.widen(architecture, name -> true, Long.MAX_VALUE, Integer.MAX_VALUE, false);

        assertThat(scratchElements(architecture, narrow)).isEqualTo(largest);
        assertThat(scratchElements(architecture, narrow.widen(architecture, name -> true, Long.MAX_VALUE,
                narrow.layers() - 1, false))).isEqualTo(largest);
        assertThat(widened.widenedLayers()).isEqualTo(widened.layers());
        assertThat(scratchElements(architecture, widened)).isZero();
        assertThat(scratchElements(architecture, plan(architecture))).isZero();
        assertThat(scratchElements(architecture, LoadPlan.of(architecture,
                ModelOptions.defaults().withWeightsDtype(DType.INT8), () -> TensorDtype.F32, 0, false))).isZero();
    }

    private static long scratchElements(Architecture architecture, LoadPlan plan) throws IOException {
        try (CheckpointWeights checkpoint = CheckpointWeights.open(GoldenModels.dir("llama3"));
                DeviceWeights weights = DeviceWeights.load(architecture, checkpoint, plan,
                        PlaceholderInit.checkpointRow(), 299, manager())) {
            return weights.scratchElements();
        }
    }

    private static PtNDManager manager() {
        return (PtNDManager) NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    private static LoadPlan plan(Architecture architecture) throws IOException {
        return LoadPlan.of(architecture, ModelOptions.defaults(), () -> TensorDtype.F32, 0, false);
    }

    private static Architecture architecture() throws IOException {
        return ModelFamilies.architecture(HfConfig.read(GoldenModels.dir("llama3")));
    }

    /** The checkpoint, except that reading {@code name} fails. */
    private static WeightSource failingAt(WeightSource source, String name) {
        return new WeightSource() {
            @Override
            public boolean contains(String tensor) {
                return source.contains(tensor);
            }

            @Override
            public TensorDtype dtype(String tensor, long[] expectedShape) throws IOException {
                return source.dtype(tensor, expectedShape);
            }

            @Override
            public void read(String tensor, long first, int count, ByteBuffer dst) throws IOException {
                if (tensor.equals(name)) {
                    throw new IOException("cannot read " + tensor + " (a failure injected by the test)");
                }
                source.read(tensor, first, count, dst);
            }

            @Override
            public String describe() {
                return "failing " + source.describe();
            }

            @Override
            public void close() {
                source.close();
            }
        };
    }
}
