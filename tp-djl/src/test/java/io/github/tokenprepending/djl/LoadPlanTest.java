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
        long need = ModelMemory.estimate(llama3, 4, DType.FLOAT32, DType.FLOAT32, name -> true, 0).totalBytes();

        plan.checkFits(llama3, name -> true, need);
        plan.checkFits(llama3, name -> true, -1);
        assertThatThrownBy(() -> plan.checkFits(llama3, name -> true, need - 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the model will not fit: 4 of 4 decoder layers (hidden 64, vocabulary 300)"
                        + " with FLOAT32 weights and FLOAT32 compute")
                .hasMessageContaining("--weights-dtype bf16");
    }

    @Test
    void sixteenBitWeightsUnderFloat32ComputeWidenAsManyLeadingLayersAsFitInHalfTheMemory() throws IOException {
        LoadPlan fp16 = LoadPlan.of(llama3, ModelOptions.defaults(), () -> TensorDtype.F16, 0, false);
        assertThat(fp16.widenedLayers()).isZero();

        LoadPlan all = fp16.widen(llama3, name -> true, 2 * widenedEstimate(4), Integer.MAX_VALUE, false);
        assertThat(all.widenedLayers()).isEqualTo(4);
        assertThat(all.matrixDtype(0)).isEqualTo(DType.FLOAT32);
        assertThat(all.matrixDtype(3)).isEqualTo(DType.FLOAT32);

        LoadPlan two = fp16.widen(llama3, name -> true, 2 * widenedEstimate(2), Integer.MAX_VALUE, false);
        assertThat(two.widenedLayers()).isEqualTo(2);
        assertThat(two.matrixDtype(1)).isEqualTo(DType.FLOAT32);
        assertThat(two.matrixDtype(2)).isEqualTo(DType.FLOAT16);
        assertThat(fp16.widen(llama3, name -> true, 2 * widenedEstimate(2) - 1, Integer.MAX_VALUE, false)
                .widenedLayers()).isEqualTo(1);
        assertThat(fp16.widen(llama3, name -> true, 2 * widenedEstimate(0), Integer.MAX_VALUE, false)
                .widenedLayers()).isZero();

        LoadPlan bf16 = LoadPlan.of(llama3, ModelOptions.defaults().withWeightsDtype(DType.BFLOAT16), UNREADABLE,
                0, false);
        assertThat(bf16.widen(llama3, name -> true, Long.MAX_VALUE, Integer.MAX_VALUE, false).widenedLayers())
                .isEqualTo(4);
    }

    @Test
    void unknownMemoryOrACapOfZeroWidensNoneAndTheCapBoundsTheCount() throws IOException {
        LoadPlan fp16 = LoadPlan.of(llama3, ModelOptions.defaults(), () -> TensorDtype.F16, 0, false);

        assertThat(fp16.widen(llama3, name -> true, -1, Integer.MAX_VALUE, false).widenedLayers()).isZero();
        assertThat(fp16.widen(llama3, name -> true, Long.MAX_VALUE, 0, false).widenedLayers()).isZero();
        assertThat(fp16.widen(llama3, name -> true, Long.MAX_VALUE, 3, false).widenedLayers()).isEqualTo(3);
        assertThat(fp16.widen(llama3, name -> true, 2 * widenedEstimate(2), 3, false).widenedLayers())
                .isEqualTo(2);
    }

    @Test
    void aGpuInt8FloatWeightsOrSixteenBitComputeWidenNothing() throws IOException {
        ModelOptions fp16Weights = ModelOptions.defaults().withWeightsDtype(DType.FLOAT16);
        LoadPlan gpu = LoadPlan.of(llama3, fp16Weights.withDevice("cuda:0").withDtype(DType.FLOAT32), UNREADABLE,
                1, false);
        LoadPlan int8 = LoadPlan.of(llama3, ModelOptions.defaults().withWeightsDtype(DType.INT8), UNREADABLE, 0,
                false);
        LoadPlan fp32 = LoadPlan.of(llama3, ModelOptions.defaults().withWeightsDtype(DType.FLOAT32), UNREADABLE,
                0, false);
        LoadPlan bf16Compute = LoadPlan.of(llama3, fp16Weights.withDtype(DType.BFLOAT16), UNREADABLE, 0, false);

        for (LoadPlan plan : new LoadPlan[] {gpu, int8, fp32, bf16Compute}) {
            assertThat(plan.widen(llama3, name -> true, Long.MAX_VALUE, Integer.MAX_VALUE, false).widenedLayers())
                    .as(plan.toString()).isZero();
        }
    }

    @Test
    void theFitCheckCountsTheWidenedLayers() throws IOException {
        LoadPlan fp16 = LoadPlan.of(llama3, ModelOptions.defaults(), () -> TensorDtype.F16, 0, false);
        LoadPlan all = fp16.widen(llama3, name -> true, Long.MAX_VALUE, Integer.MAX_VALUE, false);
        long need = widenedEstimate(4);

        fp16.checkFits(llama3, name -> true, need - 1);
        all.checkFits(llama3, name -> true, need);
        assertThatThrownBy(() -> all.checkFits(llama3, name -> true, need - 1))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("the model will not fit");
    }

    @Test
    void theWidenPropertyIsALayerCount() {
        try {
            System.clearProperty(LoadPlan.WIDEN_PROPERTY);
            assertThat(LoadPlan.widenCap()).isEqualTo(Integer.MAX_VALUE);
            System.setProperty(LoadPlan.WIDEN_PROPERTY, "3");
            assertThat(LoadPlan.widenCap()).isEqualTo(3);
            System.setProperty(LoadPlan.WIDEN_PROPERTY, "0");
            assertThat(LoadPlan.widenCap()).isZero();
            for (String bad : new String[] {"-1", "all", ""}) {
                System.setProperty(LoadPlan.WIDEN_PROPERTY, bad);
                assertThatThrownBy(LoadPlan::widenCap).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage("-Dtp.widenLayers must be a number of layers (0 or more, 0: widen none), not '"
                                + bad + "'");
            }
        } finally {
            System.clearProperty(LoadPlan.WIDEN_PROPERTY);
        }
    }

    /** @return the estimate of the fp16 llama3 checkpoint under float32 compute with its first k layers widened */
    private long widenedEstimate(int k) {
        return ModelMemory.estimate(llama3, 4, DType.FLOAT16, DType.FLOAT32, name -> true, k).totalBytes();
    }

    private static Architecture architecture() {
        try {
            return ModelFamilies.architecture(HfConfig.read(GoldenModels.dir("llama3")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
