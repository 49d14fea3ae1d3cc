package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.ModelFamilies;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The load plan's rules, checked without libtorch: nothing here starts the engine or allocates a tensor. */
class LoadPlanTest {
    private static final LoadPlan.StoredDtype BF16 = () -> TensorDtype.BF16;
    private static final LoadPlan.StoredDtype UNREADABLE = () -> {
        throw new AssertionError("the stored dtype must not be read when a weights dtype is given");
    };

    private final Architecture llama3 = architecture();

    @Test
    void aCpuComputesInFloat32AndKeepsSixteenBitWeightsAsStored() throws IOException {
        LoadPlan plan = LoadPlan.of(llama3, ModelOptions.defaults(), BF16, 0, false);

        assertThat(plan.device().isGpu()).isFalse();
        assertThat(plan.layers()).isEqualTo(4);
        assertThat(plan.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(plan.weightsDtype()).isEqualTo(DType.BFLOAT16);
        assertThat(LoadPlan.of(llama3, ModelOptions.defaults(), () -> TensorDtype.F16, 0, false).weightsDtype())
                .isEqualTo(DType.FLOAT16);
        assertThat(LoadPlan.of(llama3, ModelOptions.defaults(), () -> TensorDtype.F32, 0, false).weightsDtype())
                .isEqualTo(DType.FLOAT32);
    }

    @Test
    void aGpuComputesInBfloat16AndSixteenBitComputeSetsTheWeightsDtype() throws IOException {
        LoadPlan gpu = LoadPlan.of(llama3, ModelOptions.defaults().withDevice("cuda:1"), () -> TensorDtype.F32, 2,
                false);
        assertThat(gpu.device().getDeviceId()).isEqualTo(1);
        assertThat(gpu.dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(gpu.weightsDtype()).isEqualTo(DType.BFLOAT16);

        LoadPlan fp16 = LoadPlan.of(llama3, ModelOptions.defaults().withDtype(DType.FLOAT16), BF16, 0, false);
        assertThat(fp16.weightsDtype()).isEqualTo(DType.FLOAT16);
    }

    @Test
    void anAskedWeightsDtypeWinsAndTheCheckpointIsNotRead() throws IOException {
        LoadPlan plan = LoadPlan.of(llama3, ModelOptions.defaults().withWeightsDtype(DType.FLOAT32)
                .withLayers(2), UNREADABLE, 0, false);

        assertThat(plan.weightsDtype()).isEqualTo(DType.FLOAT32);
        assertThat(plan.layers()).isEqualTo(2);
    }

    @Test
    void aGpuTheEngineDoesNotSeeIsRefusedWithTheWayToACudaBuild() {
        assertThatThrownBy(() -> LoadPlan.of(llama3, ModelOptions.defaults().withDevice("cuda:0"), BF16, 0, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("device cuda:0 requested, but libtorch sees 0 CUDA devices; ")
                .hasMessageContaining("PYTORCH_LIBRARY_PATH=").hasMessageContaining("PYTORCH_FLAVOR=cu128");
        assertThatThrownBy(() -> LoadPlan.of(llama3, ModelOptions.defaults().withDevice("cuda:1"), BF16, 1, false))
                .hasMessageStartingWith("device cuda:1 requested, but libtorch sees 1 CUDA device; ");
    }

    @Test
    void moreLayersThanTheModelHasAreRefused() {
        assertThatThrownBy(() -> LoadPlan.of(llama3, ModelOptions.defaults().withLayers(5), BF16, 0, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot load 5 decoder layers of a model with 4");
    }

    @Test
    void theFitCheckComparesTheEstimateWithTheMemoryAvailable() throws IOException {
        LoadPlan plan = LoadPlan.of(llama3, ModelOptions.defaults().withWeightsDtype(DType.FLOAT32), UNREADABLE, 0,
                false);
        long need = ModelMemory.estimate(llama3, 4, DType.FLOAT32, DType.FLOAT32, name -> true).totalBytes();

        plan.checkFits(llama3, name -> true, need);
        plan.checkFits(llama3, name -> true, -1);
        assertThatThrownBy(() -> plan.checkFits(llama3, name -> true, need - 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model will not fit: 4 of 4 decoder layers (hidden 64, vocabulary 300)"
                        + " with FLOAT32 weights and FLOAT32 compute")
                .hasMessageContaining("--weights-dtype bf16");
    }

    private static Architecture architecture() {
        try {
            return ModelFamilies.architecture(HfConfig.read(GoldenModels.dir("llama3")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
