package io.github.tokenprepending.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.tokenprepending.djl.checkpoint.Checkpoint;
import io.github.tokenprepending.djl.checkpoint.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Weights from a safetensors checkpoint (single file or sharded). F32, F16 and BF16 tensors are widened to
 * float32 on the host into a buffer owned by this loader (never the memory-mapped file itself), in chunks of at
 * most {@value #CHUNK_FLOATS} floats, then copied to the device; the model casts them to its compute dtype.
 */
public final class CheckpointWeights implements WeightSource {
    static final int CHUNK_FLOATS = 1 << 26;

    private final Checkpoint checkpoint;

    private CheckpointWeights(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /**
     * @param directory a directory with {@code model.safetensors} or {@code model.safetensors.index.json}
     * @return the weights
     * @throws IOException naming the file and the problem when the checkpoint is missing or malformed
     */
    public static CheckpointWeights open(Path directory) throws IOException {
        return new CheckpointWeights(Checkpoint.open(directory));
    }

    @Override
    public boolean contains(String name) {
        return checkpoint.contains(name);
    }

    @Override
    public NDArray load(String name, long[] expectedShape, NDManager manager) throws IOException {
        Tensor tensor = checkpoint.require(name, expectedShape);
        long rows = expectedShape.length == 0 ? 1 : expectedShape[0];
        long numel = tensor.info().numel();
        long rowLength = rows == 0 ? 0 : numel / rows;
        if (numel <= CHUNK_FLOATS || rowLength == 0) {
            return chunk(tensor, 0, (int) numel, new Shape(expectedShape), manager);
        }
        if (rowLength > CHUNK_FLOATS) {
            throw new IOException(tensor.file() + ": tensor " + name + " has rows of " + rowLength
                    + " elements, too long to load in chunks");
        }
        long rowsPerChunk = CHUNK_FLOATS / rowLength;
        NDList parts = new NDList();
        try {
            for (long first = 0; first < rows; first += rowsPerChunk) {
                long count = Math.min(rowsPerChunk, rows - first);
                long[] shape = expectedShape.clone();
                shape[0] = count;
                parts.add(chunk(tensor, first * rowLength, (int) (count * rowLength), new Shape(shape), manager));
            }
            return NDArrays.concat(parts, 0);
        } finally {
            parts.close();
        }
    }

    private static NDArray chunk(Tensor tensor, long firstElement, int count, Shape shape, NDManager manager)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder());
        tensor.readF32(firstElement, count, buffer);
        buffer.flip();
        // the array copies the buffer's contents on creation only if it must; duplicate() makes it own them
        try (NDArray view = manager.create(buffer, shape, DataType.FLOAT32)) {
            return view.duplicate();
        }
    }

    @Override
    public String describe() {
        return checkpoint.source().toString();
    }

    @Override
    public void close() {
        try {
            checkpoint.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
