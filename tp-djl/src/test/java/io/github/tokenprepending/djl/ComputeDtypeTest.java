package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code --dtype auto}: what each CPU, weights dtype and checkpoint gets, and the reason given. */
class ComputeDtypeTest {

    @Test
    void autoComputesBf16OnlyWhereTheCpuMultipliesItNativelyAndTheWeightsAre16Bit() throws IOException {
        ComputeDtype native16 = ComputeDtype.choose(null, null, () -> TensorDtype.F16, false, "avx512_bf16");
        assertThat(native16.dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(native16.reason()).contains("avx512_bf16");
        assertThat(ComputeDtype.choose(null, DType.BFLOAT16, () -> TensorDtype.F32, false, "amx_bf16").dtype())
                .isEqualTo(DType.BFLOAT16);

        ComputeDtype avx2 = ComputeDtype.choose(null, null, () -> TensorDtype.BF16, false, "none");
        assertThat(avx2.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(avx2.reason()).contains("no native bfloat16");
        assertThat(ComputeDtype.choose(null, null, () -> TensorDtype.F32, false, "avx512_bf16").dtype())
                .isEqualTo(DType.FLOAT32);
        assertThat(ComputeDtype.choose(null, DType.FLOAT32, () -> TensorDtype.F16, false, "avx512_bf16").dtype())
                .isEqualTo(DType.FLOAT32);
        ComputeDtype int8 = ComputeDtype.choose(null, DType.INT8, () -> TensorDtype.F16, false, "avx512_bf16");
        assertThat(int8.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(int8.reason()).contains("int8");
    }

    @Test
    void anAskedDtypeAndTheGpuDefaultWin() throws IOException {
        assertThat(ComputeDtype.choose(DType.FLOAT32, null, () -> TensorDtype.F16, false, "avx512_bf16"))
                .isEqualTo(new ComputeDtype(DType.FLOAT32, "asked for"));
        assertThat(ComputeDtype.choose(null, null, () -> TensorDtype.F32, true, "none").dtype()).isEqualTo(DType.BFLOAT16);
    }
}
