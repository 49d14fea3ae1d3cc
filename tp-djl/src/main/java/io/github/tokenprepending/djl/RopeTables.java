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
        BlockContract.Call call = blocks.signature("rope.pt").call();
        IValue[] args = {
            set(call, "head_dim", IValue.from((long) spec.headDim())),
            set(call, "base", IValue.from(r.theta())),
            set(call, "rope_type", IValue.from(BlockContract.bundled().code("rope_type", r.type()))),
            set(call, "factor", IValue.from(r.factor())),
            set(call, "low_freq_factor", IValue.from(r.lowFreqFactor())),
            set(call, "high_freq_factor", IValue.from(r.highFreqFactor())),
            set(call, "original_max", IValue.from((long) r.originalMaxPositions())),
            set(call, "positions", IValue.from((long) positions))
        };
        try (IValue out = blocks.call(call)) {
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

    private static IValue set(BlockContract.Call call, String name, IValue value) {
        call.set(name, value);
        return value;
    }

    @Override
    public synchronized void close() {
        all.forEach(IValue::close);
        all.clear();
        size = 0;
    }
}
