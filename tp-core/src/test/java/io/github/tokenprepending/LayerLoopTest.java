package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import io.github.tokenprepending.toy.ToyModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SEMANTICS.md section 1: the replacement happens before every layer i with start <= i < exit, and only then. */
class LayerLoopTest {
    private final ToyModel model = new ToyModel(4);

    private TokenBatch batch() {
        TokenizedPrompt p = model.tokenizer().encode(
                RenderedPrompt.withPlaceholder("This sentence : ", " \"a b c.\" means in one word:\""));
        return TokenBatch.of(List.of(p, p));
    }

    private List<String> run(TpRange tp, int layers) {
        model.clearCalls();
        LayerLoop.run(model, batch(), PassPlan.layers(layers), tp);
        return model.calls();
    }

    @Test
    void replacesBeforeLayersStartToExitMinusOne() {
        assertThat(run(new TpRange(1, 3), 4)).containsExactly("start", "layer@0", "tp@1", "layer@1", "tp@2",
                "layer@2", "layer@3", "pooled");
    }

    @Test
    void startZeroActsOnTheEmbeddings() {
        assertThat(run(new TpRange(0, 2), 4)).containsExactly("start", "tp@0", "layer@0", "tp@1", "layer@1",
                "layer@2", "layer@3", "pooled");
    }

    @Test
    void anExitBeyondTheModelRunsThroughTheLastLayer() {
        assertThat(run(new TpRange(1, 99), 4)).containsExactly("start", "layer@0", "tp@1", "layer@1", "tp@2",
                "layer@2", "tp@3", "layer@3", "pooled");
    }

    @Test
    void vanillaNeverReplaces() {
        assertThat(run(null, 4)).containsExactly("start", "layer@0", "layer@1", "layer@2", "layer@3", "pooled");
    }

    @Test
    void stopsAtThePlansLayerCount() {
        assertThat(run(new TpRange(1, 99), 2)).containsExactly("start", "layer@0", "tp@1", "layer@1", "pooled");
        assertThat(run(new TpRange(0, 99), 0)).containsExactly("start", "pooled");
        assertThat(run(new TpRange(3, 99), 3)).doesNotContain("tp@3").containsExactly("start", "layer@0",
                "layer@1", "layer@2", "pooled");
    }

    @Test
    void returnsTheLastTokenStatesOfTheSameLoopRunByHand() {
        TokenBatch batch = batch();
        float[][] expected;
        try (ForwardPass pass = model.start(batch, PassPlan.layers(3))) {
            pass.runLayer(0);
            pass.prependSentenceEmbedding();
            pass.runLayer(1);
            pass.runLayer(2);
            expected = pass.rowsAt(new int[] {batch.length(0) - 1, batch.length(1) - 1});
        }
        float[][] actual = LayerLoop.run(model, batch, PassPlan.layers(3).withLastTokenOnly(), new TpRange(1, 2));
        assertThat(actual).isDeepEqualTo(expected);
    }

    @Test
    void closesThePassAlsoWhenALayerFails() {
        RecordingModel failing = new RecordingModel(1);
        assertThatThrownBy(() -> LayerLoop.run(failing, failing.batch(), PassPlan.layers(3), new TpRange(0, 3)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("boom");
        assertThat(failing.calls).containsExactly("start", "tp", "layer@0", "tp", "layer@1", "close");

        RecordingModel ok = new RecordingModel(-1);
        float[][] out = LayerLoop.run(ok, ok.batch(), PassPlan.layers(2), null);
        assertThat(out).isDeepEqualTo(new float[][] {{2f}});
        assertThat(ok.calls).containsExactly("start", "layer@0", "layer@1", "pooled", "close");
    }

    /** A model whose pass records its calls, fails at one layer, and returns the layer count as its state. */
    private static final class RecordingModel implements LayerwiseModel {
        final List<String> calls = new ArrayList<>();
        private final int failAt;

        RecordingModel(int failAt) {
            this.failAt = failAt;
        }

        TokenBatch batch() {
            return TokenBatch.of(new int[][] {{1, 5, 6}}, new int[] {1});
        }

        @Override
        public ModelInfo info() {
            return new ModelInfo("rec", "rec", 3, 1, 10, 16, 9, 1, DType.FLOAT32, "cpu", DType.FLOAT32, "asked for", 0);
        }

        @Override
        public TextTokenizer tokenizer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ForwardPass start(TokenBatch batch, PassPlan plan) {
            calls.add("start");
            return new ForwardPass() {
                private int done;

                @Override
                public void prependSentenceEmbedding() {
                    calls.add("tp");
                }

                @Override
                public void runLayer(int layer) {
                    calls.add("layer@" + layer);
                    if (layer == failAt) {
                        throw new IllegalStateException("boom");
                    }
                    done++;
                }

                @Override
                public int layersRun() {
                    return done;
                }

                @Override
                public float[][] rowsAt(int[] positions) {
                    return new float[][] {{done}};
                }

                @Override
                public float[][] pooled() {
                    calls.add("pooled");
                    return rowsAt(new int[] {0});
                }

                @Override
                public void close() {
                    calls.add("close");
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
