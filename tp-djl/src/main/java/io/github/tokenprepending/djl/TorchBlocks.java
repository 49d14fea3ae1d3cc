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
 * model onto its device. Blocks hold no weights; they are called with IValue arguments.
 */
final class TorchBlocks implements AutoCloseable {
    private static final String ROOT = "/io/github/tokenprepending/djl/blocks/";

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
     * Runs a block and returns its IValue result; the caller closes it.
     *
     * @param name the block
     * @param args the arguments (not closed here)
     * @return the result
     */
    IValue call(String name, IValue... args) {
        return get(name).forward(args);
    }

    @Override
    public synchronized void close() {
        blocks.values().forEach(PtSymbolBlock::close);
        blocks.clear();
    }
}
