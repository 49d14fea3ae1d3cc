package io.github.tokenprepending.djl;

import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The TorchScript blocks of {@code tp-djl} (exported by {@code src/main/python/export_blocks.py}), loaded once per
 * model onto its device. Blocks hold no weights; they are called with IValue arguments set by name
 * ({@link BlockContract}).
 */
final class TorchBlocks implements AutoCloseable {
    private static final String ROOT = BlockContract.ROOT;

    private final PtNDManager manager;
    private final Map<String, PtSymbolBlock> blocks = new HashMap<>();

    TorchBlocks(PtNDManager manager) {
        this.manager = manager;
    }

    /**
     * @param name a block file name such as {@code llama_layer.pt}
     * @return the loaded block
     */
    synchronized PtSymbolBlock get(String name) {
        return blocks.computeIfAbsent(name, this::load);
    }

    private PtSymbolBlock load(String name) {
        try (InputStream in = TorchBlocks.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("TorchScript block " + name + " is missing from the tp-djl jar");
            }
            PtSymbolBlock block = JniUtils.loadModule(manager, in, true, false);
            JniUtils.enableInferenceMode(block);
            return block;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read TorchScript block " + name, e);
        }
    }

    /**
     * @param name a block file name
     * @return its signature in the blocks' manifest
     */
    BlockContract.Signature signature(String name) {
        return BlockContract.bundled().block(name);
    }

    /**
     * Runs a block and returns its IValue result; the caller closes it.
     *
     * @param call the block's arguments, set by name (not closed here)
     * @return the result
     */
    IValue call(BlockContract.Call call) {
        IValue[] values = call.values();
        return get(call.file()).forward(values);
    }

    @Override
    public synchronized void close() {
        blocks.values().forEach(PtSymbolBlock::close);
        blocks.clear();
    }
}
