package io.github.tokenprepending.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TokenBatch;

/**
 * Keys and values [1, kv heads, P, head_dim] of a token prefix at positions 0..P-1, per decoder layer, on the
 * model's device, and the prefix's states after those layers (final-normed as a pass pools them), for means that
 * start inside the prefix. A pass may reuse the first p <= P of them.
 */
final class DjlPrefixCache implements PrefixCache {
    private final DjlLayerwiseModel owner;
    private final int[] ids;
    private final int layers;
    private final NativeScope scope;
    private final IValue[] keys;
    private final IValue[] values;
    private float[][] finalStates;

    private DjlPrefixCache(DjlLayerwiseModel owner, int[] ids, int layers) {
        this.owner = owner;
        this.ids = ids.clone();
        this.layers = layers;
        this.scope = new NativeScope(owner.weights().manager());
        this.keys = new IValue[layers];
        this.values = new IValue[layers];
    }

    /** Runs the prefix through {@code layers} layers (no Token Prepending: it only acts from {@code <PST>} on). */
    static DjlPrefixCache compute(DjlLayerwiseModel model, int[] ids, int layers) {
        DjlPrefixCache cache = new DjlPrefixCache(model, ids, layers);
        TokenBatch batch = TokenBatch.of(new int[][] {ids}, new int[] {-1});
        try (DjlForwardPass pass = new DjlForwardPass(model, batch, PassPlan.layers(layers), null)) {
            for (int layer = 0; layer < layers; layer++) {
                PtNDArray[] kv = pass.runLayerKeepingKeys(layer);
                kv[0].attach(cache.scope.manager());
                kv[1].attach(cache.scope.manager());
                cache.keys[layer] = cache.scope.own(IValue.from(kv[0]));
                cache.values[layer] = cache.scope.own(IValue.from(kv[1]));
            }
            cache.finalStates = pass.statesOfOneRow();
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
        return cache;
    }

    DjlLayerwiseModel owner() {
        return owner;
    }

    IValue keys(int layer) {
        return keys[layer];
    }

    IValue values(int layer) {
        return values[layer];
    }

    /** @return per prefix position its state after the cached layers, as a pass's pooling reads it */
    float[][] finalStates() {
        return finalStates;
    }

    /** Checks that every row starts with the first {@code length} cached ids and continues past them. */
    void checkBatch(TokenBatch batch, int length) {
        if (scope.isClosed()) {
            throw new IllegalStateException("the prefix cache is closed");
        }
        for (int r = 0; r < batch.size(); r++) {
            if (batch.length(r) <= length) {
                throw new IllegalArgumentException("row " + r + " has no tokens after the " + length
                        + " reused prefix tokens");
            }
            int pst = batch.placeholderIndex(r);
            if (pst >= 0 && pst < length) {
                throw new IllegalArgumentException("row " + r + ": <PST> at " + pst
                        + " lies inside the reused prefix of " + length + " tokens");
            }
            for (int t = 0; t < length; t++) {
                if (batch.id(r, t) != ids[t]) {
                    throw new IllegalArgumentException("row " + r + " does not start with the cached prefix (token "
                            + t + ")");
                }
            }
        }
    }

    @Override
    public int[] ids() {
        return ids.clone();
    }

    @Override
    public int length() {
        return ids.length;
    }

    @Override
    public int layers() {
        return layers;
    }

    @Override
    public boolean holdsFinalStates() {
        return true;
    }

    @Override
    public void close() {
        scope.close();
    }

    @Override
    public String toString() {
        return "DjlPrefixCache[" + ids.length + " tokens, " + layers + " layers, shape "
                + new Shape(1, owner.spec().numKvHeads(), ids.length, owner.spec().headDim()) + "]";
    }
}
