package io.github.tokenprepending.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PassPlanTest {

    private static PrefixCache cache(int length, int layers) {
        int[] ids = new int[length];
        return new PrefixCache() {
            @Override
            public int[] ids() {
                return ids.clone();
            }

            @Override
            public int layers() {
                return layers;
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void aPlainPlan() {
        PassPlan p = PassPlan.layers(5);
        assertThat(p.layers()).isEqualTo(5);
        assertThat(p.prefix()).isNull();
        assertThat(p.prefixLength()).isZero();
        assertThat(p.lastTokenOnly()).isFalse();
        assertThat(PassPlan.layers(0).layers()).isZero();
    }

    @Test
    void withersKeepTheOtherFields() {
        PrefixCache c = cache(6, 5);
        PassPlan p = PassPlan.layers(5).withLastTokenOnly().withPrefix(c, 4);
        assertThat(p.lastTokenOnly()).isTrue();
        assertThat(p.prefix()).isSameAs(c);
        assertThat(p.prefixLength()).isEqualTo(4);
        PassPlan q = PassPlan.layers(5).withPrefix(c, 6).withLastTokenOnly();
        assertThat(q.prefix()).isSameAs(c);
        assertThat(q.prefixLength()).isEqualTo(6);
        assertThat(q.layers()).isEqualTo(5);
    }

    @Test
    void rejectsInconsistentPlans() {
        assertThatThrownBy(() -> PassPlan.layers(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> new PassPlan(2, null, 3, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix cache");
        PrefixCache c = cache(5, 4);
        assertThatThrownBy(() -> PassPlan.layers(4).withPrefix(c, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1..5");
        assertThatThrownBy(() -> PassPlan.layers(4).withPrefix(c, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6");
        assertThatThrownBy(() -> PassPlan.layers(5).withPrefix(c, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4 layers").hasMessageContaining("runs 5");
        assertThat(PassPlan.layers(3).withPrefix(c, 5).prefixLength()).as("a deeper cache is fine").isEqualTo(5);
    }
}
