package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Reference values: section "## correlations" of the output of
 * {@code /usr/bin/python3 tp-core/src/test/resources/sts/reference/scipy_reference.py tp-core/src/test/resources/sts}
 * (Debian 12, {@code apt-get install python3-scipy}: scipy 1.10.1, numpy 1.24.2), unless a comment says otherwise.
 */
class CorrelationTest {
    private static final double EPS = 1e-12;
    private static final double[] X = {0.5, 2.25, 2.25, 3.0, -1.0, 7.5, 3.0, 3.0, 0.0, 4.125};
    private static final double[] Y = {1.0, 0.0, 2.0, 2.0, -3.5, 9.0, 2.0, 5.25, 0.0, 1.0};

    // By hand: ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4], centred [-1.5, 0, 0, 1.5] and [-1.5, .5, -.5, 1.5];
    // rho = 4.5 / sqrt(4.5 * 5) = sqrt(0.9). scipy: 0.9486832980505139.
    @Test
    void spearmanTextbookExampleWithTies() {
        double rho = Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4});
        assertThat(rho).isCloseTo(Math.sqrt(0.9), within(EPS)).isCloseTo(0.9486832980505139, within(EPS));
    }

    // Wikipedia "Spearman's rank correlation coefficient", IQ vs hours of TV: sum d^2 = 194, n = 10,
    // rho = 1 - 6 * 194 / (10 * 99) = -29/165. scipy: -0.17575757575757575.
    @Test
    void spearmanTextbookExampleWithoutTies() {
        double rho = Correlation.spearman(new double[] {106, 100, 86, 101, 99, 103, 97, 113, 112, 110},
                new double[] {7, 27, 2, 50, 28, 29, 20, 12, 6, 17});
        assertThat(rho).isCloseTo(-29.0 / 165.0, within(EPS)).isCloseTo(-0.17575757575757575, within(EPS));
    }

    @Test
    void averageRanksMatchScipyRankdata() {
        assertThat(Correlation.averageRanks(X)).containsExactly(3.0, 4.5, 4.5, 7.0, 1.0, 10.0, 7.0, 7.0, 2.0, 9.0);
        assertThat(Correlation.averageRanks(Y)).containsExactly(4.5, 2.5, 7.0, 7.0, 1.0, 10.0, 7.0, 9.0, 2.5, 4.5);
    }

    @Test
    void spearmanAndPearsonMatchScipyWithTies() {
        assertThat(Correlation.spearman(X, Y)).isCloseTo(0.7680288520687637, within(EPS));
        assertThat(Correlation.pearson(X, Y)).isCloseTo(0.8654921806173476, within(EPS));
    }

    @Test
    void negativeCorrelationMatchesScipy() {
        double[] minusY = new double[Y.length];
        for (int i = 0; i < Y.length; i++) {
            minusY[i] = -Y[i];
        }
        assertThat(Correlation.spearman(X, minusY)).isCloseTo(-0.7680288520687637, within(EPS));
        assertThat(Correlation.pearson(X, minusY)).isCloseTo(-0.8654921806173476, within(EPS));
    }

    // scipy returns nan (with a ConstantInputWarning) for both.
    @Test
    void constantInputGivesNan() {
        double[] constant = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        assertThat(Correlation.spearman(X, constant)).isNaN();
        assertThat(Correlation.pearson(X, constant)).isNaN();
        assertThat(Correlation.pearson(constant, X)).isNaN();
        // a constant that does not sum exactly: the mean is off by an ulp, but the input is still constant
        double[] tenths = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        assertThat(Correlation.pearson(tenths, X)).isNaN();
    }

    @Test
    void perfectMonotoneRelationsGiveOne() {
        double[] x = {0.1, 0.4, 0.2, 0.9, 0.3};
        double[] cubes = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            cubes[i] = x[i] * x[i] * x[i];
        }
        assertThat(Correlation.spearman(x, cubes)).isCloseTo(1.0, within(EPS));
        assertThat(Correlation.pearson(x, cubes)).isLessThan(0.99);
        assertThat(Correlation.pearson(x, x)).isCloseTo(1.0, within(EPS)).isLessThanOrEqualTo(1.0);
        assertThat(Correlation.spearman(x, new double[] {5, 2, 4, 1, 3})).isCloseTo(-1.0, within(EPS));
    }

    @Test
    void invalidInputsAreRejected() {
        assertThatThrownBy(() -> Correlation.spearman(new double[] {1, 2}, new double[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different lengths: 2 and 3");
        assertThatThrownBy(() -> Correlation.pearson(new double[] {1}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 values");
        assertThatThrownBy(() -> Correlation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value 1 is not finite");
    }
}
