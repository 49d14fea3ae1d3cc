package io.github.tokenprepending.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.Cosine;
import org.junit.jupiter.api.Test;

class CosineTest {

    // numpy, float32 inputs widened to float64: section "## cosine" of scipy_reference.py's output
    // (command in CorrelationTest). In float32 arithmetic the result would differ from this after ~7 digits.
    @Test
    void matchesNumpyInDoublePrecision() {
        double cos = Cosine.similarity(new float[] {0.1f, -0.2f, 0.3f, 0.4f}, new float[] {1.5f, 0.25f, -0.75f, 2.0f});
        assertThat(cos).isCloseTo(0.4700096636876005, within(1e-15));
    }

    @Test
    void ignoresLengthAndKeepsSign() {
        assertThat(Cosine.similarity(new float[] {3, 4}, new float[] {6, 8})).isEqualTo(1.0);
        assertThat(Cosine.similarity(new float[] {3, 4}, new float[] {-3, -4})).isEqualTo(-1.0);
        assertThat(Cosine.similarity(new float[] {1, 0}, new float[] {0, 5})).isEqualTo(0.0);
        assertThat(Cosine.similarity(new float[] {1, 0}, new float[] {3, 4})).isEqualTo(0.6);
    }

    // SentEval: nan_to_num(cosine(...)) turns the 0/0 of a zero vector into 0.
    @Test
    void zeroVectorHasSimilarityZero() {
        assertThat(Cosine.similarity(new float[] {0, 0}, new float[] {1, 2})).isEqualTo(0.0);
        assertThat(Cosine.similarity(new float[] {0, 0}, new float[] {0, 0})).isEqualTo(0.0);
    }

    @Test
    void rejectsMismatchedOrNonFiniteVectors() {
        assertThatThrownBy(() -> Cosine.similarity(new float[] {1, 2}, new float[] {1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different dimensions: 2 and 3");
        assertThatThrownBy(() -> Cosine.similarity(new float[] {1, Float.NaN}, new float[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("component 1 is not finite");
    }
}
