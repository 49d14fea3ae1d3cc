package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md section 2: {@code len(hidden_states) == L + 1}; {@code hs[0]} = embeddings, {@code hs[k]} = output of
 * decoder layer k-1, {@code hs[L] = hs[-1]} = final-normed output of the last layer. So {@code hs[k]} needs k layers,
 * and a negative index k needs {@code k + L + 1}.
 */
class OutputLayerTest {

    @Test
    void hiddenStatesIndexCountsLayersToRun() {
        assertThat(OutputLayer.hiddenStates(0).layersToRun(32)).as("embeddings: no layer").isZero();
        assertThat(OutputLayer.hiddenStates(1).layersToRun(32)).isEqualTo(1);
        assertThat(OutputLayer.hiddenStates(27).layersToRun(32)).as("Llama-2-7B preset").isEqualTo(27);
        assertThat(OutputLayer.hiddenStates(32).layersToRun(32)).isEqualTo(32);
        assertThat(OutputLayer.hiddenStates(-1).layersToRun(32)).as("final-normed").isEqualTo(32);
        assertThat(OutputLayer.hiddenStates(-2).layersToRun(32)).as("raw output of layer L-2").isEqualTo(31);
        assertThat(OutputLayer.hiddenStates(-2).layersToRun(40)).isEqualTo(39);
        assertThat(OutputLayer.hiddenStates(-33).layersToRun(32)).as("hs[-33] is hs[0]").isZero();
        assertThat(OutputLayer.last()).isEqualTo(OutputLayer.hiddenStates(-1));
    }

    @Test
    void afterLayerKRunsKPlusOneLayers() {
        assertThat(OutputLayer.afterLayer(0).layersToRun(32)).isEqualTo(1);
        assertThat(OutputLayer.afterLayer(26).layersToRun(32)).as("hs[27]").isEqualTo(27);
        assertThat(OutputLayer.afterLayer(31).layersToRun(32)).as("the last layer, final-normed").isEqualTo(32);
    }

    @Test
    void outOfRangeIndicesAreRejected() {
        assertThatThrownBy(() -> OutputLayer.hiddenStates(33).layersToRun(32))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hidden_states[33]").hasMessageContaining("32 layers")
                .hasMessageContaining("-33..32");
        assertThatThrownBy(() -> OutputLayer.hiddenStates(-34).layersToRun(32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hidden_states[-34]");
        assertThatThrownBy(() -> OutputLayer.hiddenStates(27).layersToRun(8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 layers");
        assertThatThrownBy(() -> OutputLayer.afterLayer(32).layersToRun(32))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..31");
        assertThatThrownBy(() -> OutputLayer.afterLayer(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void parsesBothForms() {
        assertThat(OutputLayer.parse("27")).isEqualTo(OutputLayer.hiddenStates(27));
        assertThat(OutputLayer.parse(" -2 ")).isEqualTo(OutputLayer.hiddenStates(-2));
        assertThat(OutputLayer.parse("after:26")).isEqualTo(OutputLayer.afterLayer(26));
        assertThat(OutputLayer.parse("layer:26")).isEqualTo(OutputLayer.afterLayer(26));
        assertThat(OutputLayer.parse("after:26").layersToRun(32)).isEqualTo(27);
        assertThatThrownBy(() -> OutputLayer.parse("last")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'last'").hasMessageContaining("after:K");
        assertThatThrownBy(() -> OutputLayer.parse("after:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> OutputLayer.parse("after:-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theTwoFormsAreDistinctValuesWithReadableNames() {
        assertThat(OutputLayer.hiddenStates(27)).isNotEqualTo(OutputLayer.afterLayer(27))
                .hasToString("27");
        assertThat(OutputLayer.afterLayer(26)).hasToString("after:26")
                .hasSameHashCodeAs(OutputLayer.afterLayer(26));
        assertThat(OutputLayer.parse(OutputLayer.afterLayer(3).toString())).isEqualTo(OutputLayer.afterLayer(3));
        assertThat(OutputLayer.parse(OutputLayer.hiddenStates(-2).toString()))
                .isEqualTo(OutputLayer.hiddenStates(-2));
    }
}
