package io.github.tokenprepending.djl;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;

/**
 * Package-private test fixtures and model internals of {@code io.github.tokenprepending.djl}, opened to the tests in
 * {@code io.github.tokenprepending.djl.reliability}.
 */
public final class ReliabilityAccess {
    private ReliabilityAccess() {
    }

    /**
     * @param dir an empty directory
     * @return {@code dir}, now holding the real stories260K checkpoint and its tokenizer in HF layout
     */
    public static Path writeStories260k(Path dir) {
        return Stories260k.writeTo(dir);
    }

    /**
     * @param model a model
     * @return its base NDManager (weights, blocks, rope tables; passes and prefix caches are sub-managers)
     */
    public static NDManager manager(DjlLayerwiseModel model) {
        return model.weights().manager();
    }
}
