package io.github.tokenprepending.djl;

import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.LayerWeight;
import java.io.IOException;
import java.util.List;

/**
 * A decoder layer's weights with int8 matrices: {@code quantize.pt} turns the layer's matrices (read as the checkpoint
 * stores them, one layer at a time, so loading never holds more than one layer in full precision) into symmetric
 * per-output-channel int8, prepacked for libtorch's int8 kernels; the layer block multiplies through them. Norms and
 * biases stay in the compute dtype.
 */
final class Int8Matrices {

    private Int8Matrices() {
    }

    /**
     * A layer's block inputs with int8 matrices.
     *
     * @param slots one IValue per weight slot of the block, in the manifest's order; a matrix slot holds the matrix's
     *     shape only (a meta tensor)
     * @param packed the block's {@code packed} argument: the int8 matrices in {@link BlockContract#packed()} order
     */
    record Layer(IValue[] slots, IValue packed) {
    }

    /**
     * @param blocks the model's blocks
     * @return the {@code packed} argument of float weights: an empty list of int8 matrices
     */
    static IValue none(TorchBlocks blocks) {
        try (IValue matrices = IValue.listFrom(new PtNDArray[0]);
                IValue out = blocks.call(blocks.signature("quantize.pt").call().set("matrices", matrices))) {
            IValue[] pair = out.toIValueTuple();
            pair[1].close();
            return pair[0];
        }
    }

    /**
     * Loads and quantizes one layer.
     *
     * @param inputs the layer's weight inputs, in the order of the layer block's weight slots (checked by the caller)
     * @param block the layer block's resource name, for errors
     * @param loader where weights come from
     * @param blocks the model's blocks
     * @param compute the compute dtype (norms and biases)
     * @return the layer's inputs; the caller owns (closes) every IValue
     * @throws IOException if a weight is missing or malformed
     */
    static Layer load(List<BlockInput> inputs, String block, WeightLoader loader, TorchBlocks blocks, DType compute)
            throws IOException {
        List<String> order = BlockContract.bundled().packed();
        IValue[] values = new IValue[inputs.size()];
        PtNDArray[] matrices = new PtNDArray[order.size()];
        try {
            for (int i = 0; i < values.length; i++) {
                BlockInput input = inputs.get(i);
                List<LayerWeight> parts = input.parts();
                int m = order.indexOf(input.slot());
                if (m < 0) {
                    values[i] = IValue.from(loader.load(parts, compute));
                } else {
                    LayerWeight first = parts.get(0);
                    matrices[m] = loader.load(parts, asStored(loader.storedDtype(first.name(), first.shape())));
                }
            }
            for (int m = 0; m < matrices.length; m++) {
                if (matrices[m] == null) {
                    throw new IllegalStateException(block + " has no matrix slot "
                            + order.get(m) + " for int8 weights");
                }
            }
            IValue packed;
            IValue[] shapes;
            try (IValue list = IValue.listFrom(matrices);
                    IValue out = blocks.call(blocks.signature("quantize.pt").call().set("matrices", list))) {
                IValue[] pair = out.toIValueTuple();
                packed = pair[0];
                shapes = pair[1].toIValueArray();
                pair[1].close();
            }
            for (int i = 0; i < values.length; i++) {
                int m = order.indexOf(inputs.get(i).slot());
                if (m >= 0) {
                    values[i] = shapes[m];
                }
            }
            return new Layer(values, packed);
        } catch (IOException | RuntimeException e) {
            for (IValue v : values) {
                if (v != null) {
                    v.close();
                }
            }
            throw e;
        } finally {
            for (PtNDArray matrix : matrices) {
                if (matrix != null) {
                    matrix.close();
                }
            }
        }
    }

    private static DType asStored(TensorDtype stored) {
        return switch (stored) {
            case F16 -> DType.FLOAT16;
            case BF16 -> DType.BFLOAT16;
            default -> DType.FLOAT32;
        };
    }

}
