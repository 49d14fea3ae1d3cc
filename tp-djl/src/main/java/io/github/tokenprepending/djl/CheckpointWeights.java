package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.checkpoint.Checkpoint;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** Weights from a safetensors checkpoint (single file or sharded), F32, F16 or BF16, read as stored. */
public final class CheckpointWeights implements WeightSource {
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
    public TensorDtype dtype(String name, long[] expectedShape) throws IOException {
        return checkpoint.require(name, expectedShape).dtype();
    }

    @Override
    public void read(String name, long first, int count, ByteBuffer dst) throws IOException {
        checkpoint.tensor(name).read(first, count, dst);
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
