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
import io.github.tokenprepending.djl.family.ModelFamilies;
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
