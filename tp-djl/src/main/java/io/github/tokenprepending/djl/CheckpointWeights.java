package io.github.tokenprepending.djl;

import io.github.tokenprepending.djl.checkpoint.Checkpoint;
import io.github.tokenprepending.djl.checkpoint.TensorDtype;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Weights from a safetensors checkpoint (single file or sharded), F32, F16 or BF16, read as stored. A checkpoint
 * saved from the bare decoder ({@code Qwen3Model}, {@code LlamaModel}, ..., as sentence-transformers folders hold
 * it) names its tensors without the {@code model.} prefix of {@code *ForCausalLM}: both are found.
 */
public final class CheckpointWeights implements WeightSource {
    private static final String PREFIX = "model.";
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
        return checkpoint.contains(stored(name));
    }

    @Override
    public TensorDtype dtype(String name, long[] expectedShape) throws IOException {
        return checkpoint.require(stored(name), expectedShape).dtype();
    }

    @Override
    public void read(String name, long first, int count, ByteBuffer dst) throws IOException {
        checkpoint.tensor(stored(name)).read(first, count, dst);
    }

    /** The name as stored: without the {@code model.} prefix when only the bare decoder's name is there. */
    private String stored(String name) {
        if (!name.startsWith(PREFIX) || checkpoint.contains(name)) {
            return name;
        }
        String bare = name.substring(PREFIX.length());
        return checkpoint.contains(bare) ? bare : name;
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
