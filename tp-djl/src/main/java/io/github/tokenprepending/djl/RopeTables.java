package io.github.tokenprepending.djl;

import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.RopeSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Rotary cos/sin tables [positions, head_dim] in float32, computed once by the rope block and grown on demand
 * (Llama-3.1 allows 131072 positions; tables only cover what batches have needed). Tables that were handed out
 * stay alive until the model closes, so a growing table never pulls one from under a running pass.
 */
final class RopeTables implements AutoCloseable {
    private static final int MIN_POSITIONS = 512;

    private final DecoderSpec spec;
    private final TorchBlocks blocks;
    private final PtNDManager manager;
    private final List<IValue> all = new ArrayList<>();
    private int size;
    private IValue cos;
    private IValue sin;

    RopeTables(DecoderSpec spec, TorchBlocks blocks, PtNDManager manager) {
        this.spec = spec;
        this.blocks = blocks;
        this.manager = manager;
    }

    /**
     * @param positions how many positions (0..positions-1) the caller needs
     * @return the cos and sin tables covering at least that many
     */
    synchronized IValue[] tables(int positions) {
        if (positions > size) {
            grow(Math.max(positions, Math.max(MIN_POSITIONS, 2 * size)));
        }
        return new IValue[] {cos, sin};
    }

    private void grow(int positions) {
        RopeSpec r = spec.rope();
        IValue[] args = {
            IValue.from((long) spec.headDim()), IValue.from(r.theta()), IValue.from((long) r.type().code()),
            IValue.from(r.factor()), IValue.from(r.lowFreqFactor()), IValue.from(r.highFreqFactor()),
            IValue.from((long) r.originalMaxPositions()), IValue.from((long) positions)
        };
        try (IValue out = blocks.call("rope.pt", args)) {
            IValue[] parts = out.toIValueTuple();
            // keep the tensors alive in the model's manager; the IValues reference them
            cos = IValue.from(parts[1].toTensor(manager));
            sin = IValue.from(parts[2].toTensor(manager));
            for (IValue p : parts) {
                p.close();
            }
            all.add(cos);
            all.add(sin);
            size = positions;
        } finally {
            for (IValue a : args) {
                a.close();
            }
        }
    }

    @Override
    public synchronized void close() {
        all.forEach(IValue::close);
        all.clear();
        size = 0;
    }
}
