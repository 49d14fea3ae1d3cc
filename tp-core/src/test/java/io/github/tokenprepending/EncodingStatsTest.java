package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EncodingStatsTest {

    @Test
    void paddingFractionIsTheShareOfSlotsWithoutAComputedToken() {
        assertThat(new EncodingStats(0, 0, 0, 0, 0).paddingFraction()).isZero();
        assertThat(new EncodingStats(4, 1, 75, 75, 100).paddingFraction()).isCloseTo(0.25, within(1e-12));
        assertThat(new EncodingStats(4, 1, 90, 60, 60).paddingFraction()).isZero();
        assertThat(new EncodingStats(3, 1, 30, 10, 40).paddingFraction()).isCloseTo(0.75, within(1e-12));
    }
}
