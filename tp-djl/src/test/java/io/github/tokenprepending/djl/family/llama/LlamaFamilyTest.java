package io.github.tokenprepending.djl.family.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.djl.GoldenModels;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.FamilyConfigs;
import io.github.tokenprepending.djl.family.RopeSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Llama's own config fields: attention_bias, mlp_bias, Mistral's sliding_window. */
class LlamaFamilyTest {
    private final LlamaFamily family = new LlamaFamily();

    @TempDir
    Path dir;

    @Test
    void llama3RopeScalingAndNoWindow() throws IOException {
        Architecture a = family.architecture(HfConfig.read(GoldenModels.dir("llama3")));
        assertThat(a.spec().rope().type()).isEqualTo(RopeSpec.Type.LLAMA3);
        assertThat(a.spec().numKvHeads()).isEqualTo(2);
        assertThat(a.block().slidingWindow()).isZero();
        assertThat(family.supports("mistral")).isTrue();
    }

    @Test
    void mistralWindowOnEveryLayer() throws IOException {
        Architecture a = family.architecture(FamilyConfigs.write(dir, "mistral", "\"sliding_window\":4096"));
        assertThat(a.block().slidingWindow()).isEqualTo(4096);
        assertThat(a.block().usesSlidingWindow(1)).isTrue();
    }

    @Test
    void rejectsWhatTheBlockCannotRun() throws IOException {
        HfConfig mlpBias = FamilyConfigs.write(dir, "llama", "\"mlp_bias\":true");
        assertThatThrownBy(() -> family.architecture(mlpBias))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'mlp_bias' true is not supported");
        HfConfig window = FamilyConfigs.write(dir, "llama", "\"sliding_window\":2.5");
        assertThatThrownBy(() -> family.architecture(window))
                .hasMessageContaining("'sliding_window' must be an integer, got 2.5");
    }
}
