package io.github.tokenprepending.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The behaviour every {@link LayerwiseModel} plug-in must show. Extend it in the plug-in's tests, return the
 * model from {@link #createModel()}, and JUnit runs these checks on it:
 * <ul>
 *   <li>a row's result does not depend on the rest of its batch (batched == alone, padding invariance);</li>
 *   <li>the Token Prepending step before layer {@code i} changes results exactly from layer {@code i}'s output
 *       on, so a range {@code start..exit} touches exactly layers {@code start..exit-1};</li>
 *   <li>rows before {@code <PST>} are never affected by the step (causal attention), nor are rows without a
 *       placeholder;</li>
 *   <li>stopping early equals reading a full run at the same layer;</li>
 *   <li>a cached prefix gives the same results as recomputing it;</li>
 *   <li>layers run in order and never beyond the plan.</li>
 * </ul>
 * The prompts come from the model's own tokenizer (PromptEOL on a few sentences of different lengths).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LayerwiseModelConformance {
    private static final String[] SENTENCES = {
        "A man is playing a guitar on the street while people walk by.",
        "Dogs run.",
        "The quick brown fox jumps over the lazy dog near the river bank at dawn.",
        "She smiled.",
    };

    private LayerwiseModel model;
    private int numLayers;

    /** @return a fresh model; it is closed after the tests */
    protected abstract LayerwiseModel createModel() throws Exception;

    /** @return the largest absolute difference accepted between results that must be equal */
    protected double tolerance() {
        return 1e-4;
    }

    /** @return the smallest absolute difference that proves two results differ */
    protected double minimumEffect() {
        return 1e-3;
    }

    @BeforeAll
    final void loadModel() throws Exception {
        model = createModel();
        numLayers = model.info().numLayers();
    }

    @AfterAll
    final void closeModel() {
        if (model != null) {
            model.close();
        }
    }

    /** @return the model under test */
    protected final LayerwiseModel model() {
        return model;
    }

    private List<TokenizedPrompt> prompts(boolean tp) {
        PromptTemplate template = PromptMethod.PROMPTEOL.templates().get(0);
        if (!tp) {
            template = template.vanilla();
        }
        List<TokenizedPrompt> out = new ArrayList<>();
        for (String s : SENTENCES) {
            out.add(model.tokenizer().encode(template.render(SentencePreprocessor.paper().apply(s))));
        }
        return out;
    }

    /** Runs a pass that promises to read only the last tokens (the encoder's plan). */
    private float[][] run(TokenBatch batch, TpRange tp, int layers) {
        return LayerLoop.run(model, batch, PassPlan.layers(layers).withLastTokenOnly(), tp);
    }

    private static double maxDiff(float[] x, float[] y) {
        assertThat(x).hasSameSizeAs(y);
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    private static double maxDiff(float[][] x, float[][] y) {
        double m = 0;
        for (int r = 0; r < x.length; r++) {
            m = Math.max(m, maxDiff(x[r], y[r]));
        }
        return m;
    }

    private TpRange fullRange() {
        return new TpRange(1, Math.max(2, numLayers));
    }

    @Test
    void batchedEqualsAlone() {
        List<TokenizedPrompt> rows = prompts(true);
        for (TpRange tp : Arrays.asList(null, fullRange())) {
            float[][] batched = run(TokenBatch.of(rows), tp, numLayers);
            for (int r = 0; r < rows.size(); r++) {
                float[][] alone = run(TokenBatch.of(List.of(rows.get(r))), tp, numLayers);
                assertThat(maxDiff(batched[r], alone[0])).as("row %d, %s", r, tp).isLessThanOrEqualTo(tolerance());
            }
        }
    }

    @Test
    void resultDoesNotDependOnPadding() {
        List<TokenizedPrompt> rows = prompts(true);
        TokenizedPrompt shortest = rows.get(3);
        float[][] withLong = run(TokenBatch.of(List.of(shortest, rows.get(2))), fullRange(), numLayers);
        float[][] withShort = run(TokenBatch.of(List.of(rows.get(1), shortest)), fullRange(), numLayers);
        assertThat(maxDiff(withLong[0], withShort[1])).isLessThanOrEqualTo(tolerance());
    }

    @Test
    void tpRangeTouchesExactlyLayersStartToExitMinusOne() {
        int start = 1;
        int exit = Math.min(3, numLayers);
        if (exit <= start) {
            return;
        }
        TokenBatch batch = TokenBatch.of(prompts(true));
        TpRange range = new TpRange(start, exit);
        TpRange longer = new TpRange(start, exit + 1);
        for (int k = 0; k <= numLayers; k++) {
            double vsVanilla = maxDiff(run(batch, range, k), run(batch, null, k));
            if (k <= start) {
                assertThat(vsVanilla).as("TP %s read after %d layers vs vanilla", range, k)
                        .isLessThanOrEqualTo(tolerance());
            } else if (k == start + 1) {
                assertThat(vsVanilla).as("TP %s must change the output of layer %d", range, start)
                        .isGreaterThan(minimumEffect());
            }
            if (exit + 1 <= numLayers) {
                double vsLonger = maxDiff(run(batch, range, k), run(batch, longer, k));
                if (k <= exit) {
                    assertThat(vsLonger).as("%s vs %s after %d layers", range, longer, k)
                            .isLessThanOrEqualTo(tolerance());
                } else if (k == exit + 1) {
                    assertThat(vsLonger).as("%s must differ from %s after layer %d", range, longer, exit)
                            .isGreaterThan(minimumEffect());
                }
            }
        }
    }

    @Test
    void rowsBeforePlaceholderAreUnaffectedByTp() {
        TokenBatch batch = TokenBatch.of(prompts(true));
        int minPst = Integer.MAX_VALUE;
        for (int r = 0; r < batch.size(); r++) {
            minPst = Math.min(minPst, batch.placeholderIndex(r));
        }
        assertThat(minPst).as("every prompt has a placeholder").isGreaterThan(0);
        try (ForwardPass tp = model.start(batch, PassPlan.layers(numLayers));
                ForwardPass vanilla = model.start(batch, PassPlan.layers(numLayers))) {
            for (int i = 0; i < numLayers; i++) {
                tp.prependSentenceEmbedding();
                tp.runLayer(i);
                vanilla.runLayer(i);
                for (int pos = 0; pos < minPst; pos++) {
                    int[] at = new int[batch.size()];
                    Arrays.fill(at, pos);
                    assertThat(maxDiff(tp.rowsAt(at), vanilla.rowsAt(at))).as("position %d after layer %d", pos, i)
                            .isLessThanOrEqualTo(tolerance());
                }
            }
        }
    }

    @Test
    void rowsWithoutPlaceholderAreLeftAloneByTp() {
        List<TokenizedPrompt> withPst = prompts(true);
        TokenizedPrompt plain = prompts(false).get(1);
        TokenBatch mixed = TokenBatch.of(List.of(withPst.get(0), plain, withPst.get(2)));
        float[][] tp = run(mixed, fullRange(), numLayers);
        float[][] alone = run(TokenBatch.of(List.of(plain)), null, numLayers);
        assertThat(maxDiff(tp[1], alone[0])).as("the row without <PST> in a TP batch").isLessThanOrEqualTo(tolerance());
        float[][] vanilla = run(mixed, null, numLayers);
        assertThat(maxDiff(tp[0], vanilla[0])).as("a row with <PST> in the same batch").isGreaterThan(minimumEffect());
    }

    @Test
    void earlyExitEqualsFullRunReadAtSameLayer() {
        TokenBatch batch = TokenBatch.of(prompts(true));
        TpRange tp = fullRange();
        try (ForwardPass full = model.start(batch, PassPlan.layers(numLayers))) {
            for (int k = 0; k <= numLayers; k++) {
                float[][] early = run(batch, tp, k);
                assertThat(maxDiff(full.pooled(), early)).as("read after %d layers", k)
                        .isLessThanOrEqualTo(tolerance());
                if (k < numLayers) {
                    if (tp.appliesBefore(k)) {
                        full.prependSentenceEmbedding();
                    }
                    full.runLayer(k);
                }
            }
        }
    }

    @Test
    void prefixCacheGivesTheSameEmbeddings() {
        if (!model.supportsPrefixCache()) {
            return;
        }
        for (boolean tp : new boolean[] {true, false}) {
            List<TokenizedPrompt> rows = prompts(tp);
            TokenBatch batch = TokenBatch.of(rows);
            int shared = sharedPrefix(rows, tp);
            assertThat(shared).as("PromptEOL prompts share their first tokens").isGreaterThan(0);
            TpRange range = tp ? fullRange() : null;
            // the shared head only: row 0's <PST> id may have no embedding row (a tokenizer filling the vocabulary)
            try (PrefixCache cache = model.cachePrefix(Arrays.copyOf(batch.ids(0), shared), numLayers)) {
                for (int p : new int[] {1, shared}) {
                    for (int k : new int[] {Math.min(2, numLayers), numLayers}) {
                        float[][] expected = run(batch, range, k);
                        float[][] cached = LayerLoop.run(model, batch,
                                PassPlan.layers(k).withPrefix(cache, p).withLastTokenOnly(), range);
                        assertThat(maxDiff(cached, expected)).as("tp=%s prefix %d, %d layers", tp, p, k)
                                .isLessThanOrEqualTo(tolerance());
                    }
                }
            }
        }
    }

    private static int sharedPrefix(List<TokenizedPrompt> rows, boolean tp) {
        int p = Integer.MAX_VALUE;
        int[] first = rows.get(0).ids();
        for (TokenizedPrompt row : rows) {
            int[] ids = row.ids();
            int cap = tp ? row.placeholderIndex() : ids.length - 1;
            int k = 0;
            while (k < Math.min(cap, first.length) && ids[k] == first[k]) {
                k++;
            }
            p = Math.min(p, k);
        }
        return p;
    }

    @Test
    void layersRunInOrderAndWithinThePlan() {
        TokenBatch batch = TokenBatch.of(prompts(true));
        try (ForwardPass pass = model.start(batch, PassPlan.layers(1))) {
            assertThatThrownBy(() -> pass.runLayer(1)).isInstanceOf(IllegalStateException.class);
            pass.runLayer(0);
            assertThat(pass.layersRun()).isEqualTo(1);
            assertThatThrownBy(() -> pass.runLayer(1)).isInstanceOf(IllegalStateException.class);
        }
    }
}
