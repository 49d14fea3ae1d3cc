package io.github.tokenprepending.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;

/** Where a model's weight tensors come from: a safetensors checkpoint, or seeded random values for benchmarks. */
public interface WeightSource extends AutoCloseable {

    /**
     * @param name a tensor name
     * @return whether the source has it
     */
    boolean contains(String name);

    /**
     * Loads a tensor onto the manager's device as float32 or float16 (DJL cannot create bfloat16 on the host;
     * bfloat16 checkpoints arrive as float32 and are cast inside TorchScript).
     *
     * @param name the tensor name
     * @param expectedShape the shape the model needs
     * @param manager where the array goes
     * @return the array
     * @throws IOException if the tensor is missing, has another shape or an unsupported dtype (the message names
     *     the tensor and the file)
     */
    NDArray load(String name, long[] expectedShape, NDManager manager) throws IOException;

    /** @return a short description for messages (a path, or "synthetic") */
    String describe();

    /** Releases files or memory. */
    @Override
    void close();
}
