package io.github.tokenprepending.djl;

import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.io.IOException;

/**
 * The compute dtype a load runs in, and why ({@code --dtype auto}, the default, when none is asked for): bfloat16 on a
 * GPU; on a CPU bfloat16 where it multiplies bfloat16 natively (AVX512-BF16, AMX-BF16) and the weights are 16-bit,
 * float32 elsewhere (int8 weights always compute in float32).
 *
 * @param dtype the compute dtype
 * @param reason why, in words (shown by {@code tp inspect} and the server's {@code /info})
 */
record ComputeDtype(DType dtype, String reason) {

    /**
     * @param asked the compute dtype asked for, or null for auto
     * @param weights the weights dtype asked for, or null for the default (as stored)
     * @param stored how the checkpoint stores its weights (read only when it decides)
     * @param gpu whether the model goes to a GPU
     * @param bf16Support the CPU's native bfloat16 instructions ({@link CpuFeatures#bf16Support()}), or "none"
     * @return the choice
     * @throws IOException if the stored dtype cannot be read
     */
    static ComputeDtype choose(DType asked, DType weights, LoadPlan.StoredDtype stored, boolean gpu,
            String bf16Support) throws IOException {
        if (asked != null) {
            return new ComputeDtype(asked, "asked for");
        }
        if (gpu) {
            return new ComputeDtype(DType.BFLOAT16, "auto: bfloat16 on a GPU");
        }
        if (weights == DType.INT8) {
            return new ComputeDtype(DType.FLOAT32, "auto: int8 weights multiply through int8 kernels in float32");
        }
        boolean sixteenBit = weights != null ? weights != DType.FLOAT32
                : stored.get() == TensorDtype.F16 || stored.get() == TensorDtype.BF16;
        if (!sixteenBit) {
            return new ComputeDtype(DType.FLOAT32, "auto: float32 weights");
        }
        if (!bf16Support.equals("none")) {
            return new ComputeDtype(DType.BFLOAT16, "auto: 16-bit weights and native bfloat16 products on this CPU ("
                    + bf16Support + ")");
        }
        return new ComputeDtype(DType.FLOAT32, "auto: this CPU has no native bfloat16 products (no AVX512-BF16 or"
                + " AMX-BF16); 16-bit weights are widened to float32 per product");
    }
}
