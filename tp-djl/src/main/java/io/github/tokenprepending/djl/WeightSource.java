package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where a model's weight tensors come from: a safetensors checkpoint, or seeded random values for benchmarks. A
 * source hands out raw elements piece by piece; {@link WeightLoader} puts them into device tensors of the dtype the
 * model keeps them in, so that no tensor is ever held twice.
 */
public interface WeightSource extends AutoCloseable {

    /**
     * @param name a tensor name
     * @return whether the source has it
     */
    boolean contains(String name);

    /**
     * Checks a tensor and tells how its elements are stored.
     *
     * @param name the tensor name
     * @param expectedShape the shape the model needs
     * @return {@link TensorDtype#F32}, {@link TensorDtype#F16} or {@link TensorDtype#BF16}
     * @throws IOException if the tensor is missing, has another shape or an unsupported dtype (the message names
     *     the tensor and the file)
     */
    TensorDtype dtype(String name, long[] expectedShape) throws IOException;

    /**
     * Copies elements {@code [first, first + count)} (row-major) in the stored dtype, little-endian, into
     * {@code dst} at its position, advancing it.
     *
     * @param name the tensor name (checked with {@link #dtype} before)
     * @param first first element
     * @param count number of elements
     * @param dst a buffer with room for them
     * @throws IOException if the elements cannot be read
     */
    void read(String name, long first, int count, ByteBuffer dst) throws IOException;

    /** @return a short description for messages (a path, or "synthetic") */
    String describe();

    /** Releases files or memory. */
    @Override
    void close();
}
