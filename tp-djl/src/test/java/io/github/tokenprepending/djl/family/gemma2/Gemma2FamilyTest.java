package io.github.tokenprepending.djl.family.gemma2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.djl.GoldenModels;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Activation;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.FamilyConfigs;
import io.github.tokenprepending.djl.family.LayerBlock;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gemma2's own config fields (golden config values read off its config.json: head_dim 32, scalar 24, cap 50). */
class Gemma2FamilyTest {
    private final Gemma2Family family = new Gemma2Family();

    @TempDir
    Path dir;

    @Test
    void readsItsOwnFields() throws IOException {
        Architecture a = family.architecture(HfConfig.read(GoldenModels.dir("gemma2")));
        assertThat(a.spec().headDim()).isEqualTo(32);
        assertThat(a.spec().embedScale()).isEqualTo(8.0);
        assertThat(a.spec().activation()).isEqualTo(Activation.GELU_TANH);
        LayerBlock block = a.block();
        assertThat(block.resource()).isEqualTo("gemma2_layer.pt");
        assertThat(block.finalNorm()).isEqualTo(LayerBlock.FinalNorm.RMS_UNIT_OFFSET);
        assertThat(block.usesSlidingWindow(0)).isTrue();
        assertThat(block.usesSlidingWindow(1)).isFalse();
        assertThat(block.extraArguments(0).get("scale")).isCloseTo(1 / Math.sqrt(24), within(1e-12));
        assertThat(block.extraArguments(0).get("softcap")).isEqualTo(50.0);
    }

    @Test
    void hfDefaultsWhenAbsent() throws IOException {
        Architecture a = family.architecture(FamilyConfigs.write(dir, "gemma2", ""));
        assertThat(a.spec().headDim()).isEqualTo(256);
        assertThat(a.block().extraArguments(1).get("scale")).isEqualTo(1 / 16.0);
        assertThat(a.block().extraArguments(1).get("softcap")).isEqualTo(50.0);
    }

    @Test
    void aWrongTypeNamesTheFileAndField() throws IOException {
        HfConfig config = FamilyConfigs.write(dir, "gemma2", "\"query_pre_attn_scalar\":\"x\"");
        assertThatThrownBy(() -> family.architecture(config))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("'query_pre_attn_scalar' must be a number, got \"x\"");
        HfConfig negative = FamilyConfigs.write(dir, "gemma2", "\"attn_logit_softcapping\":-1");
        assertThatThrownBy(() -> family.architecture(negative))
                .hasMessageContaining("'attn_logit_softcapping' must be a positive number, got -1");
    }
}
