package io.github.tokenprepending.toy;

import io.github.tokenprepending.conformance.HashingTokenizer;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A deterministic pure-Java decoder for testing the layer loop. Layer {@code i} maps each position's state
 * {@code x_t} to {@code tanh(A_i x_t + B_i mean(x_0..x_t))}: every position mixes all earlier positions of its own
 * row (causal), so a Token Prepending replacement at {@code <PST>} changes every later position. The final norm
 * is an RMS norm. It records every call for the tests.
 */
public final class ToyModel implements LayerwiseModel {
    /** Hidden size. */
    public static final int HIDDEN = 8;

    private final int layers;
    private final int vocab;
    private final double[][][] a;
    private final double[][][] b;
    private final HashingTokenizer tokenizer;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    /**
     * @param layers number of decoder layers
     */
    public ToyModel(int layers) {
        this.layers = layers;
        this.vocab = 97;
        this.tokenizer = new HashingTokenizer(vocab, 3, 1, vocab);
        Random rnd = new Random(42);
        a = new double[layers][HIDDEN][HIDDEN];
        b = new double[layers][HIDDEN][HIDDEN];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < HIDDEN; i++) {
                for (int j = 0; j < HIDDEN; j++) {
                    a[l][i][j] = rnd.nextGaussian() / Math.sqrt(HIDDEN);
                    b[l][i][j] = 2 * rnd.nextGaussian() / Math.sqrt(HIDDEN);
                }
            }
        }
    }

    /** @return every call so far: {@code start}, {@code tp@i} (replacement before layer i), {@code layer@i}, {@code pooled} */
    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Forgets the recorded calls. */
    public void clearCalls() {
        calls.clear();
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("toy", "toy", layers, HIDDEN, vocab, 64, vocab, 1, DType.FLOAT32, "cpu",
                DType.FLOAT32, "asked for", 0);
    }

    @Override
    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public boolean supportsPrefixCache() {
        return true;
    }

    @Override
    public PrefixCache cachePrefix(int[] ids, int cacheLayers) {
        calls.add("cachePrefix");
        double[][][] states = new double[cacheLayers + 1][][];
        double[][] x = embed(ids);
        states[0] = x;
        for (int l = 0; l < cacheLayers; l++) {
            x = layer(l, new double[0][], x);
            states[l + 1] = x;
        }
        return new ToyPrefix(ids.clone(), cacheLayers, states);
    }

    @Override
    public ForwardPass start(TokenBatch batch, PassPlan plan) {
        calls.add("start");
        return new ToyPass(batch, plan);
    }

    @Override
    public void close() {
    }

    private double[][] embed(int[] ids) {
        double[][] x = new double[ids.length][HIDDEN];
        for (int t = 0; t < ids.length; t++) {
            if (ids[t] == vocab) {
                continue; // <PST>: zeros
            }
            for (int d = 0; d < HIDDEN; d++) {
                x[t][d] = Math.sin(0.37 * (ids[t] + 1) * (d + 1));
            }
        }
        return x;
    }

    /** One layer over the rows {@code x}, which follow the cached rows {@code past} (inputs of the same layer). */
    private double[][] layer(int l, double[][] past, double[][] x) {
        double[] sum = new double[HIDDEN];
        for (double[] p : past) {
            for (int d = 0; d < HIDDEN; d++) {
                sum[d] += p[d];
            }
        }
        double[][] out = new double[x.length][HIDDEN];
        for (int t = 0; t < x.length; t++) {
            for (int d = 0; d < HIDDEN; d++) {
                sum[d] += x[t][d];
            }
            int count = past.length + t + 1;
            for (int i = 0; i < HIDDEN; i++) {
                double v = 0;
                for (int j = 0; j < HIDDEN; j++) {
                    v += a[l][i][j] * x[t][j] + b[l][i][j] * sum[j] / count;
                }
                out[t][i] = Math.tanh(v);
            }
        }
        return out;
    }

    private record ToyPrefix(int[] ids, int layers, double[][][] states) implements PrefixCache {
        @Override
        public int[] ids() {
            return ids.clone();
        }

        @Override
        public void close() {
        }
    }

    private final class ToyPass implements ForwardPass {
        private final TokenBatch batch;
        private final PassPlan plan;
        private final double[][][] rows;
        private boolean replace;
        private int done;

        ToyPass(TokenBatch batch, PassPlan plan) {
            this.batch = batch;
            this.plan = plan;
            this.rows = new double[batch.size()][][];
            for (int r = 0; r < batch.size(); r++) {
                rows[r] = embed(batch.ids(r));
            }
        }

        @Override
        public void prependSentenceEmbedding() {
            calls.add("tp@" + done);
            replace = true;
        }

        @Override
        public void runLayer(int layer) {
            if (layer != done || layer >= plan.layers()) {
                throw new IllegalStateException("layer " + layer + " out of order (done " + done + ", plan "
                        + plan.layers() + ")");
            }
            calls.add("layer@" + layer);
            if (replace) {
                applyReplacement();
                replace = false;
            }
            int p = plan.prefixLength();
            for (int r = 0; r < rows.length; r++) {
                double[][] past = new double[p][];
                for (int t = 0; t < p; t++) {
                    past[t] = plan.prefix() == null ? rows[r][t] : ((ToyPrefix) plan.prefix()).states()[layer][t];
                }
                double[][] tail = java.util.Arrays.copyOfRange(rows[r], p, rows[r].length);
                double[][] out = layer(layer, past, tail);
                double[][] next = new double[rows[r].length][];
                for (int t = 0; t < p; t++) {
                    next[t] = plan.prefix() == null ? rows[r][t] : ((ToyPrefix) plan.prefix()).states()[layer + 1][t];
                }
                System.arraycopy(out, 0, next, p, out.length);
                rows[r] = next;
            }
            if (plan.prefix() == null && p > 0) {
                throw new IllegalStateException("prefix length without cache");
            }
            done++;
        }

        private void applyReplacement() {
            for (int r = 0; r < rows.length; r++) {
                int pst = batch.placeholderIndex(r);
                if (pst >= 0) {
                    rows[r][pst] = rows[r][rows[r].length - 1].clone();
                }
            }
        }

        @Override
        public int layersRun() {
            return done;
        }

        @Override
        public float[][] rowsAt(int[] positions) {
            float[][] out = new float[rows.length][HIDDEN];
            for (int r = 0; r < rows.length; r++) {
                double[] v = rows[r][positions[r]];
                double scale = 1;
                if (done == layers) {
                    double ms = 0;
                    for (double x : v) {
                        ms += x * x;
                    }
                    scale = 1 / Math.sqrt(ms / HIDDEN + 1e-6);
                }
                for (int d = 0; d < HIDDEN; d++) {
                    out[r][d] = (float) (v[d] * scale);
                }
            }
            return out;
        }

        @Override
        public float[][] pooled() {
            calls.add("pooled");
            int[] last = new int[rows.length];
            for (int r = 0; r < rows.length; r++) {
                last[r] = rows[r].length - 1;
            }
            return rowsAt(last);
        }

        @Override
        public void close() {
        }
    }
}
