package io.github.tokenprepending.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.djl.checkpoint.Float32Conversion;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import io.github.tokenprepending.djl.family.LayerWeight;
import io.github.tokenprepending.spi.DType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Puts weights from a {@link WeightSource} into device tensors of the dtype the model keeps them in, without ever
 * holding a tensor twice: the destination is allocated once ({@code alloc.pt}), then filled in place
 * ({@code fill.pt}, which converts the dtype) from one reused host buffer of {@value #CHUNK_BYTES} bytes (F32 and
 * F16 elements as stored; BF16 ones widened to float32 on the host first, exactly, since DJL cannot create bfloat16
 * arrays on the host, and converted back on the device, exactly again). Stacked
 * block inputs (q|k|v) are filled part by part into their rows, with no concatenation. Peak memory while loading is
 * therefore the resident model plus one chunk.
 */
final class WeightLoader implements AutoCloseable {
    static final int CHUNK_BYTES = 64 << 20;

    private final WeightSource source;
    private final PtNDManager manager;
    private final TorchBlocks blocks;
    private final ByteBuffer staging = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer bf16Bytes; // BF16 elements as read, widened into staging; allocated on the first BF16 tensor
    private final PtNDArray like;

    WeightLoader(WeightSource source, PtNDManager manager, TorchBlocks blocks) {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("weights are little-endian; this host is big-endian");
        }
        this.source = source;
        this.manager = manager;
        this.blocks = blocks;
        this.like = (PtNDArray) manager.zeros(new Shape(0));
    }

    /**
     * @param name a tensor name
     * @param shape its shape
     * @return how the source stores it
     * @throws IOException if it is missing or malformed
     */
    TensorDtype storedDtype(String name, long[] shape) throws IOException {
        return source.dtype(name, shape);
    }

    /**
     * Loads tensors stacked along dimension 0 (one tensor: itself); optional parts the source lacks become zeros,
     * and when every part is optional and missing the result is an empty tensor.
     *
     * @param parts the tensors
     * @param dtype the dtype to keep them in
     * @return the tensor on the device
     * @throws IOException if a required tensor is missing or malformed
     */
    PtNDArray load(List<LayerWeight> parts, DType dtype) throws IOException {
        boolean anyPresent = parts.stream().anyMatch(w -> source.contains(w.name()));
        if (!anyPresent && parts.stream().allMatch(LayerWeight::optional)) {
            return alloc(new long[] {0}, dtype);
        }
        long[] shape = parts.get(0).shape().clone();
        for (int i = 1; i < parts.size(); i++) {
            shape[0] += parts.get(i).shape()[0];
        }
        PtNDArray dest = alloc(shape, dtype);
        try {
            long offset = 0;
            for (LayerWeight w : parts) {
                long numel = Arrays.stream(w.shape()).reduce(1, (a, b) -> a * b);
                if (w.optional() && !source.contains(w.name())) {
                    try (NDArray zeros = manager.zeros(new Shape(numel))) {
                        fill(dest, offset, (PtNDArray) zeros);
                    }
                } else {
                    copy(w.name(), source.dtype(w.name(), w.shape()), 0, numel, dest, offset);
                }
                offset += numel;
            }
            return dest;
        } catch (IOException | RuntimeException e) {
            dest.close();
            throw e;
        }
    }

    /**
     * Loads a row of a matrix (the {@code <PST>} vector copied from a token's embedding).
     *
     * @param name the matrix
     * @param shape its shape
     * @param row the row
     * @param dtype the dtype to keep it in
     * @return the row, shape [columns]
     * @throws IOException if the matrix is missing or malformed
     */
    PtNDArray loadRow(String name, long[] shape, long row, DType dtype) throws IOException {
        TensorDtype stored = source.dtype(name, shape);
        PtNDArray dest = alloc(new long[] {shape[1]}, dtype);
        try {
            copy(name, stored, row * shape[1], shape[1], dest, 0);
            return dest;
        } catch (IOException | RuntimeException e) {
            dest.close();
            throw e;
        }
    }

    private void copy(String name, TensorDtype stored, long first, long count, PtNDArray dest, long offset)
            throws IOException {
        boolean widen = stored == TensorDtype.BF16;
        int perChunk = CHUNK_BYTES / (widen ? Float.BYTES : stored.byteSize());
        for (long done = 0; done < count; done += perChunk) {
            int n = (int) Math.min(perChunk, count - done);
            staging.clear();
            if (widen) {
                if (bf16Bytes == null) {
                    bf16Bytes = ByteBuffer.allocateDirect(CHUNK_BYTES / 2).order(ByteOrder.LITTLE_ENDIAN);
                }
                bf16Bytes.clear();
                source.read(name, first + done, n, bf16Bytes);
                bf16Bytes.flip();
                Float32Conversion.toF32(bf16Bytes, TensorDtype.BF16, staging);
            } else {
                source.read(name, first + done, n, staging);
            }
            staging.flip();
            DataType hostType = stored == TensorDtype.F16 ? DataType.FLOAT16 : DataType.FLOAT32;
            try (NDArray chunk = manager.create(staging, new Shape(n), hostType)) {
                fill(dest, offset + done, (PtNDArray) chunk);
            }
        }
    }

    private PtNDArray alloc(long[] shape, DType dtype) {
        try (IValue l = IValue.from(like); IValue s = IValue.listFrom(shape);
                IValue code = IValue.from(BlockContract.bundled().code("dtype", dtype));
                IValue out = blocks.call(blocks.signature("alloc.pt").call().set("like", l).set("shape", s)
                        .set("dtype", code))) {
            return out.toTensor(manager);
        }
    }

    private void fill(PtNDArray dest, long first, PtNDArray src) {
        try (IValue d = IValue.from(dest); IValue f = IValue.from(first); IValue s = IValue.from(src);
                IValue out = blocks.call(blocks.signature("fill.pt").call().set("dest", d).set("first", f)
                        .set("src", s))) {
            // the copy happened in place; the result is the element count
        }
    }

    @Override
    public void close() {
        like.close();
    }
}
