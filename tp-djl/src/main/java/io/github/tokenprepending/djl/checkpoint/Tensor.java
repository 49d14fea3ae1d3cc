package io.github.tokenprepending.djl.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A tensor of an open {@link SafetensorsFile}: its description plus access to its bytes. Buffers are
 * read-only, little-endian and memory-mapped; at most {@link Integer#MAX_VALUE} bytes fit in one, so a larger
 * tensor is read with {@link #bytes(long, int)}, {@link #rows(long, int)} or
 * {@link #readF32(long, int, ByteBuffer)} piece by piece. Valid while its file is open.
 */
public final class Tensor {

    private final SafetensorsFile file;
    private final TensorInfo info;

    Tensor(SafetensorsFile file, TensorInfo info) {
        this.file = file;
        this.info = info;
    }

    /** @return the description: name, dtype, shape, byte offset and length */
    public TensorInfo info() {
        return info;
    }

    /** @return the tensor's name */
    public String name() {
        return info.name();
    }

    /** @return the element type */
    public TensorDtype dtype() {
        return info.dtype();
    }

    /** @return a copy of the shape */
    public long[] shape() {
        return info.shape();
    }

    /** @return the safetensors file holding the tensor */
    public Path file() {
        return file.path();
    }

    /**
     * @return all of the tensor's bytes
     * @throws IllegalStateException if the tensor is over {@link Integer#MAX_VALUE} bytes (read it in pieces)
     * @throws IOException if the file cannot be mapped
     */
    public ByteBuffer bytes() throws IOException {
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor '" + info.name() + "' in " + file.path() + " has "
                    + info.byteLength() + " bytes, more than one buffer holds: read it with bytes(offset, length)"
                    + " or rows(first, count)");
        }
        return file.map(info.offset(), (int) info.byteLength());
    }

    /**
     * @param offset first byte, relative to the tensor's start
     * @param length number of bytes
     * @return those bytes of the tensor
     * @throws IndexOutOfBoundsException if the range is not inside the tensor
     * @throws IOException if the file cannot be mapped
     */
    public ByteBuffer bytes(long offset, int length) throws IOException {
        if (offset < 0 || length < 0 || offset > info.byteLength() - length) {
            throw new IndexOutOfBoundsException("bytes [" + offset + ", " + (offset + length) + ") of tensor '"
                    + info.name() + "' with " + info.byteLength() + " bytes");
        }
        return file.map(info.offset() + offset, length);
    }

    /**
     * @param first first index along dimension 0
     * @param count number of indices; {@code count * info().rowBytes()} must fit in an int
     * @return the bytes of rows {@code [first, first + count)}
     * @throws IndexOutOfBoundsException if the rows are not inside the tensor
     * @throws IllegalArgumentException if the rows are over {@link Integer#MAX_VALUE} bytes
     * @throws IllegalStateException for a scalar or a tensor with no rows
     * @throws IOException if the file cannot be mapped
     */
    public ByteBuffer rows(long first, int count) throws IOException {
        long rowBytes = info.rowBytes();
        if (first < 0 || count < 0 || first > info.dim(0) - count) {
            throw new IndexOutOfBoundsException("rows [" + first + ", " + (first + count) + ") of tensor '"
                    + info.name() + "' with " + info.dim(0) + " rows");
        }
        if (count * rowBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(count + " rows of " + rowBytes + " bytes exceed one buffer");
        }
        return bytes(first * rowBytes, (int) (count * rowBytes));
    }

    /**
     * Converts elements {@code [first, first + count)} (in row-major order) to float32 and writes them in
     * native byte order at {@code dst}'s position, advancing it, as
     * {@link Float32Conversion#toF32(ByteBuffer, TensorDtype, ByteBuffer)} does. Calling this with a reused direct
     * buffer copies a tensor of any size without large heap arrays.
     *
     * @param first first element
     * @param count number of elements
     * @param dst destination with room for {@code count} floats
     * @throws IllegalArgumentException if the dtype is not F32, F16 or BF16, or {@code dst} is too small
     * @throws IndexOutOfBoundsException if the elements are not inside the tensor
     * @throws IOException if the file cannot be mapped
     */
    public void readF32(long first, int count, ByteBuffer dst) throws IOException {
        requireF32Convertible();
        int size = info.dtype().byteSize();
        if (first < 0 || count < 0 || first > info.numel() - count) {
            throw new IndexOutOfBoundsException("elements [" + first + ", " + (first + count) + ") of tensor '"
                    + info.name() + "' with " + info.numel() + " elements");
        }
        if (dst.remaining() / Float.BYTES < count) {
            throw new IllegalArgumentException("destination has room for " + dst.remaining() / Float.BYTES
                    + " floats, " + count + " needed");
        }
        Float32Conversion.toF32(bytes(first * size, count * size), info.dtype(), dst);
    }

    /**
     * @return the whole tensor as float32, in row-major order
     * @throws IllegalArgumentException if the dtype is not F32, F16 or BF16
     * @throws IllegalStateException if the tensor has more elements than an array holds
     * @throws IOException if the file cannot be mapped
     */
    public float[] toF32Array() throws IOException {
        requireF32Convertible();
        if (info.numel() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + info.name() + "' has " + info.numel()
                    + " elements, more than an array holds: use readF32 in pieces");
        }
        float[] result = new float[(int) info.numel()];
        int size = info.dtype().byteSize();
        int chunk = (1 << 30) / size;
        for (long done = 0; done < result.length; done += chunk) {
            int n = (int) Math.min(chunk, result.length - done);
            Float32Conversion.toF32(bytes(done * size, n * size), info.dtype(), result, (int) done);
        }
        return result;
    }

    private void requireF32Convertible() {
        if (!info.dtype().isFloat32Convertible()) {
            throw new IllegalArgumentException("tensor '" + info.name() + "' in " + file.path() + " is "
                    + info.dtype() + ", not F32, F16 or BF16");
        }
    }

    /**
     * Copies elements {@code [first, first + count)} (row-major) as stored, little-endian, into {@code dst} at its
     * position, advancing it. A positioned read, not a mapping: loading a model this way through one reused buffer
     * keeps the file's pages out of the process's resident memory (mapped pages count until the JVM unmaps them,
     * which Java 17 cannot do on demand).
     *
     * @param first first element
     * @param count number of elements
     * @param dst destination with room for {@code count} elements
     * @throws IndexOutOfBoundsException if the elements are not inside the tensor
     * @throws IllegalArgumentException if {@code dst} is too small
     * @throws IOException if the file cannot be read
     */
    public void read(long first, int count, ByteBuffer dst) throws IOException {
        int size = info.dtype().byteSize();
        if (first < 0 || count < 0 || first > info.numel() - count) {
            throw new IndexOutOfBoundsException("elements [" + first + ", " + (first + count) + ") of tensor '"
                    + info.name() + "' with " + info.numel() + " elements");
        }
        if (dst.remaining() / size < count) {
            throw new IllegalArgumentException("destination has room for " + dst.remaining() / size
                    + " elements, " + count + " requested");
        }
        ByteBuffer target = dst.slice(dst.position(), count * size);
        file.read(info.offset() + first * size, target);
        dst.position(dst.position() + count * size);
    }

    @Override
    public String toString() {
        return info + " in " + file.path();
    }
}
