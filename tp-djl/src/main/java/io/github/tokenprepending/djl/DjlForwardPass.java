package io.github.tokenprepending.djl;

import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import java.util.List;

/**
 * One batch on the device. Layout: rows left-padded to T columns (the last token of every row in column T-1),
 * then, if a prefix is reused, the cached prefix keys in front of every row's keys.
 *
 * <p>Positions: without a prefix, column c has position c in every row, as the official code feeds them
 * (rotary scores depend only on distances, so padding does not change real rows). With a cached prefix of
 * length p, the prefix holds positions 0..p-1 and a row's remaining tokens continue at p.
 */
final class DjlForwardPass implements ForwardPass {
    private final DjlLayerwiseModel model;
    private final TokenBatch batch;
    private final PassPlan plan;
    private final DjlPrefixCache prefix;
    private final NativeScope scope;
    private final PtNDManager manager;
    private final PaddedBatch padded;
    private final int skip;
    private final IValue cos;
    private final IValue sin;
    private final IValue mask;
    private final IValue windowMask;
    private final IValue placeholderColumns;
    private final IValue prefixLength;
    private final IValue scratch;
    private PtNDArray hidden;
    private boolean lastColumnOnly;
    private boolean pending;
    private int done;

    DjlForwardPass(DjlLayerwiseModel model, TokenBatch batch, PassPlan plan, DjlPrefixCache prefix) {
        this.model = model;
        this.batch = batch;
        this.plan = plan;
        this.prefix = prefix;
        this.skip = plan.prefixLength();
        model.acquirePass();
        try {
            this.scope = new NativeScope(model.weights().manager());
        } catch (RuntimeException e) {
            model.releasePass();
            throw e;
        }
        this.manager = scope.manager();
        try {
            this.padded = PaddedBatch.leftPadded(batch, skip, 0);
            int b = padded.rows();
            int t = padded.length();
            int s = skip + t;
            long[] positions = new long[b * t];
            long[] keyPositions = new long[b * s];
            long[] keyValid = new long[b * s];
            long[] pstColumns = new long[b];
            for (int r = 0; r < b; r++) {
                for (int k = 0; k < skip; k++) {
                    keyPositions[r * s + k] = k;
                    keyValid[r * s + k] = 1;
                }
                for (int c = 0; c < t; c++) {
                    int at = r * t + c;
                    boolean real = padded.mask()[at] != 0;
                    long position = skip == 0 ? c : real ? skip + c - padded.pads()[r] : 0;
                    positions[at] = position;
                    keyPositions[r * s + skip + c] = position;
                    keyValid[r * s + skip + c] = padded.mask()[at];
                }
                int pst = batch.placeholderIndex(r);
                pstColumns[r] = pst < 0 ? -1 : padded.column(r, pst, skip);
            }
            IValue[] tables = model.weights().rope().tables(skip == 0 ? t : s);
            DjlLayerwiseModel.Constants k = model.weights().constants();
            placeholderColumns = own(IValue.from(create(pstColumns, b)));
            BlockContract.Call prepare = model.weights().blocks().signature("prepare.pt").call()
                    .set("ids", own(IValue.from(create(padded.ids(), b, t))))
                    .set("embed_weight", k.embedding())
                    .set("pst_cols", placeholderColumns)
                    .set("pst_vector", k.placeholder())
                    .set("positions", own(IValue.from(create(positions, b, t))))
                    .set("key_positions", own(IValue.from(create(keyPositions, b, s))))
                    .set("key_valid", own(IValue.from(create(keyValid, b, s))))
                    .set("cos_table", tables[0])
                    .set("sin_table", tables[1])
                    .set("embed_scale", k.embedScale())
                    .set("window", k.window());
            try (IValue out = model.weights().blocks().call(prepare)) {
                IValue[] parts = out.toIValueTuple();
                hidden = parts[0].toTensor(manager);
                cos = own(IValue.from(parts[1].toTensor(manager)));
                sin = own(IValue.from(parts[2].toTensor(manager)));
                mask = own(IValue.from(parts[3].toTensor(manager)));
                windowMask = own(IValue.from(parts[4].toTensor(manager)));
                for (IValue p : parts) {
                    p.close();
                }
            }
            prefixLength = own(IValue.from((long) skip));
            // one conversion buffer for the pass's products: a new tensor per product would be fresh memory from the
            // OS each time (the page faults of a 7B matrix cost more than converting it)
            PtNDArray buffer = model.weights().newScratch(manager);
            scratch = buffer == null ? k.noScratch() : own(IValue.from(buffer));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private PtNDArray create(long[] data, long... shape) {
        return (PtNDArray) manager.create(data, new Shape(shape));
    }

    private IValue own(IValue value) {
        return scope.own(value);
    }

    @Override
    public void prependSentenceEmbedding() {
        ensureOpen();
        pending = true;
    }

    @Override
    public void runLayer(int layer) {
        step(layer, false);
    }

    /** Runs a layer and returns its keys and values [B, kv heads, T, head_dim] (for prefix caches). */
    PtNDArray[] runLayerKeepingKeys(int layer) {
        return step(layer, true);
    }

    private PtNDArray[] step(int layer, boolean keepKeys) {
        ensureOpen();
        if (layer != done) {
            throw new IllegalStateException("decoder layer " + layer + " requested, but layer " + done
                    + " is next");
        }
        if (layer >= plan.layers()) {
            throw new IllegalStateException("decoder layer " + layer + " is beyond the plan's " + plan.layers()
                    + " layers");
        }
        LayerBlock block = model.block();
        DjlLayerwiseModel.Constants k = model.weights().constants();
        boolean last = plan.lastTokenOnly() && layer == plan.layers() - 1;
        try (IValue h = IValue.from(hidden)) {
            BlockContract.Call call = model.weights().layerSignature().call()
                    .set("h", h)
                    .set("cos", cos)
                    .set("sin", sin)
                    .set("mask", block.usesSlidingWindow(layer) ? windowMask : mask)
                    .set("past_k", prefix == null ? k.emptyPast() : prefix.keys(layer))
                    .set("past_v", prefix == null ? k.emptyPast() : prefix.values(layer))
                    .set("prefix_len", prefixLength)
                    .set("eps", k.eps())
                    .set("pst_cols", placeholderColumns)
                    .set("replace", pending ? k.yes() : k.no())
                    .set("last_only", last ? k.yes() : k.no())
                    .set("act", k.activation())
                    .set("packed", model.weights().layerPacked(layer))
                    .set("reduce_range", k.reduceRange())
                    .set("scratch", scratch);
            List<String> slots = model.weights().layerSignature().weights();
            IValue[] weights = model.weights().layerWeights(layer);
            for (int w = 0; w < weights.length; w++) {
                call.set(slots.get(w), weights[w]);
            }
            model.weights().layerExtras(layer).forEach(call::set);
            PtNDArray[] keysAndValues = null;
            try (IValue out = model.weights().blocks().call(call)) {
                IValue[] parts = out.toIValueTuple();
                PtNDArray next = parts[0].toTensor(manager);
                if (keepKeys) {
                    keysAndValues = new PtNDArray[] {parts[1].toTensor(manager), parts[2].toTensor(manager)};
                }
                for (IValue p : parts) {
                    p.close();
                }
                hidden.close();
                hidden = next;
            }
            pending = false;
            lastColumnOnly = last;
            done++;
            return keysAndValues;
        }
    }

    @Override
    public int layersRun() {
        return done;
    }

    @Override
    public float[][] rowsAt(int[] positions) {
        ensureOpen();
        int b = batch.size();
        if (positions.length != b) {
            throw new IllegalArgumentException(positions.length + " positions for " + b + " rows");
        }
        long[] cols = new long[b];
        for (int r = 0; r < b; r++) {
            int pos = positions[r];
            if (pos < 0 || pos >= batch.length(r)) {
                throw new IllegalArgumentException("row " + r + ": position " + pos + " outside its "
                        + batch.length(r) + " tokens");
            }
            if (pos < skip) {
                throw new IllegalArgumentException("row " + r + ": position " + pos
                        + " lies in the reused prefix, whose states are not kept");
            }
            if (lastColumnOnly) {
                if (pos != batch.length(r) - 1) {
                    throw new IllegalStateException("the final layer ran for the last tokens only");
                }
                cols[r] = 0;
            } else {
                cols[r] = padded.column(r, pos, skip);
            }
        }
        return poolColumns(hidden, cols);
    }

    /** Column {@code cols[r]} of each row r of {@code h} through the pooling block: one vector per row. */
    private float[][] poolColumns(PtNDArray h, long[] cols) {
        int n = cols.length;
        int size = model.spec().hiddenSize();
        try (PtNDArray colArray = create(cols, n);
                IValue hv = IValue.from(h);
                IValue cv = IValue.from(colArray);
                IValue out = pool(hv, cv);
                PtNDArray rows = out.toTensor(manager)) {
            float[] flat = rows.toFloatArray();
            float[][] result = new float[n][size];
            for (int r = 0; r < n; r++) {
                System.arraycopy(flat, r * size, result[r], 0, size);
            }
            return result;
        }
    }

    /**
     * The final norm (under {@link #rowsAt}'s rule) runs on all {@code B*T} states through the pooling block, then a
     * weighted sum over the columns on the device; only {@code [B, H]} is copied to the host, where the states of
     * averaged positions inside a reused prefix (kept by its cache) are added before the division.
     */
    @Override
    public float[][] meanPooled(int[] from, boolean positionWeighted) {
        ensureOpen();
        int b = batch.size();
        if (from.length != b) {
            throw new IllegalArgumentException(from.length + " start positions for " + b + " rows");
        }
        if (lastColumnOnly) {
            throw new IllegalStateException("the final layer ran for the last tokens only: a mean needs a plan"
                    + " without lastTokenOnly");
        }
        int t = padded.length();
        int h = model.spec().hiddenSize();
        float[] weights = new float[b * t];
        double[] totals = new double[b];
        double[][] prefixSums = new double[b][h];
        for (int r = 0; r < b; r++) {
            if (from[r] < 0 || from[r] >= batch.length(r)) {
                throw new IllegalArgumentException("row " + r + ": mean from position " + from[r] + " outside its "
                        + batch.length(r) + " tokens");
            }
            // positions inside the reused prefix (a pass reuses one only with its cache): their states come from it
            for (int position = from[r]; position < skip; position++) {
                float w = positionWeighted ? position + 1 : 1;
                float[] state = prefix.finalStates()[position];
                for (int i = 0; i < h; i++) {
                    prefixSums[r][i] += (double) w * state[i];
                }
                totals[r] += w;
            }
            for (int c = padded.column(r, Math.max(from[r], skip), skip); c < t; c++) {
                int position = c - padded.pads()[r] + skip;
                float w = positionWeighted ? position + 1 : 1;
                weights[r * t + c] = w;
                totals[r] += w;
            }
        }
        try (PtNDArray flat = (PtNDArray) hidden.reshape(b * t, 1, h);
                PtNDArray zeros = create(new long[b * t], b * t);
                IValue hv = IValue.from(flat);
                IValue cv = IValue.from(zeros);
                IValue out = pool(hv, cv);
                PtNDArray states = out.toTensor(manager);
                PtNDArray byRow = (PtNDArray) states.reshape(b, t, h);
                PtNDArray w = (PtNDArray) manager.create(weights, new Shape(b, t, 1));
                PtNDArray weighted = (PtNDArray) byRow.mul(w);
                PtNDArray sum = (PtNDArray) weighted.sum(new int[] {1})) {
            float[] values = sum.toFloatArray();
            float[][] result = new float[b][h];
            for (int r = 0; r < b; r++) {
                for (int i = 0; i < h; i++) {
                    result[r][i] = (float) ((values[r * h + i] + prefixSums[r][i]) / totals[r]);
                }
            }
            return result;
        }
    }

    /** One column per row of {@code h} as float32, through the final norm once every layer has run (pool.pt). */
    private IValue pool(IValue h, IValue cols) {
        DjlLayerwiseModel.Constants k = model.weights().constants();
        boolean norm = done == model.spec().numLayers();
        return model.weights().blocks().call(model.weights().blocks().signature("pool.pt").call()
                .set("h", h)
                .set("cols", cols)
                .set("norm_weight", k.finalNormWeight())
                .set("eps", k.eps())
                .set("norm", norm ? k.finalNormCode() : k.noNorm()));
    }

    /**
     * @return for a pass of one row, every position's current state as pooling reads it (final-normed after the
     *     model's last layer), in position order
     */
    float[][] statesOfOneRow() {
        ensureOpen();
        if (batch.size() != 1 || lastColumnOnly) {
            throw new IllegalStateException("the states of every position need a one-row pass with every column");
        }
        int t = padded.length();
        try (PtNDArray columns = (PtNDArray) hidden.reshape(t, 1, model.spec().hiddenSize())) {
            return poolColumns(columns, new long[t]); // each column as a row of one
        }
    }

    @Override
    public float[][] pooled() {
        int[] last = new int[batch.size()];
        for (int r = 0; r < last.length; r++) {
            last[r] = batch.length(r) - 1;
        }
        return rowsAt(last);
    }

    private void ensureOpen() {
        if (scope.isClosed()) {
            throw new IllegalStateException("the forward pass is closed");
        }
    }

    @Override
    public void close() {
        if (!scope.isClosed()) {
            scope.close();
            model.releasePass();
        }
    }
}
