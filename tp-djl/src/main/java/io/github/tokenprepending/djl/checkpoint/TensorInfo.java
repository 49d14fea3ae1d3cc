package io.github.tokenprepending.djl.checkpoint;

import java.util.Arrays;

/**
 * One tensor as a validated safetensors header describes it: its byte length always equals
 * {@code numel() * dtype().byteSize()} and its bytes lie inside the file.
 */
public final class TensorInfo {

    private final String name;
    private final TensorDtype dtype;
    private final long[] shape;
    private final long offset;
    private final long byteLength;

    TensorInfo(String name, TensorDtype dtype, long[] shape, long offset, long byteLength) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.offset = offset;
        this.byteLength = byteLength;
    }

    /** @return the tensor's name, e.g. {@code model.layers.0.self_attn.q_proj.weight} */
    public String name() {
        return name;
    }

    /** @return the element type */
    public TensorDtype dtype() {
        return dtype;
    }

    /** @return a copy of the shape; empty for a scalar */
    public long[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @param axis a dimension index
     * @return the size of that dimension
     */
    public long dim(int axis) {
        return shape[axis];
    }

    /** @return the number of elements (1 for a scalar) */
    public long numel() {
        return byteLength / dtype.byteSize();
    }

    /** @return the absolute position of the tensor's first byte in its file */
    public long offset() {
        return offset;
    }

    /** @return the tensor's size in bytes */
    public long byteLength() {
        return byteLength;
    }

    /**
     * @return the bytes of one row (one index of dimension 0): {@code byteLength() / dim(0)}
     * @throws IllegalStateException for a scalar or a tensor with no rows
     */
    public long rowBytes() {
        if (shape.length == 0 || shape[0] == 0) {
            throw new IllegalStateException("tensor '" + name + "' of shape " + Arrays.toString(shape)
                    + " has no rows");
        }
        return byteLength / shape[0];
    }

    /** @return e.g. {@code model.norm.weight F32 [64]} */
    @Override
    public String toString() {
        return name + " " + dtype + " " + Arrays.toString(shape);
    }
}
