package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** SEMANTICS.md section 1: the half-open range start <= i < exit over 0-based decoder layers. */
class TpRangeTest {

    @Test
    void appliesBeforeExactlyTheLayersStartToExitMinusOne() {
        TpRange r = new TpRange(1, 7);
        for (int i = 0; i < 40; i++) {
            assertThat(r.appliesBefore(i)).as("layer %d", i).isEqualTo(i >= 1 && i <= 6);
        }
    }

    @Test
    void startZeroIsAllowedAndActsBeforeLayerZero() {
        TpRange r = new TpRange(0, 2);
        assertThat(r.appliesBefore(0)).isTrue();
        assertThat(r.appliesBefore(1)).isTrue();
        assertThat(r.appliesBefore(2)).isFalse();
    }

    @Test
    void anExitBeyondTheModelIsFine() {
        TpRange r = new TpRange(1, 99);
        assertThat(r.exit()).isEqualTo(99);
        assertThat(r.appliesBefore(31)).isTrue();
        assertThat(r.appliesBefore(98)).isTrue();
        assertThat(r.appliesBefore(99)).isFalse();
    }

    @Test
    void rejectsAnEmptyRangeNamingStartAndExit() {
        assertThatThrownBy(() -> new TpRange(3, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("start (3)").hasMessageContaining("exit (3)");
        assertThatThrownBy(() -> new TpRange(7, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7").hasMessageContaining("1");
    }

    @Test
    void rejectsANegativeStart() {
        assertThatThrownBy(() -> new TpRange(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void singleLayerRangeAndToString() {
        TpRange r = new TpRange(4, 5);
        assertThat(r.appliesBefore(3)).isFalse();
        assertThat(r.appliesBefore(4)).isTrue();
        assertThat(r.appliesBefore(5)).isFalse();
        assertThat(r).hasToString("tp(4, 5)").isEqualTo(new TpRange(4, 5));
    }
}
