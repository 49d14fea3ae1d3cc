package io.github.tokenprepending.djl.family.qwen2;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.djl.GoldenModels;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.FamilyConfigs;
import io.github.tokenprepending.djl.family.LayerWeight;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen2's own config fields: the sliding window only with use_sliding_window; q/k/v biases required. */
class Qwen2FamilyTest {
    private final Qwen2Family family = new Qwen2Family();

    @TempDir
    Path dir;

    @Test
    void requiredQkvBiasesAndNoWindow() throws IOException {
        Architecture a = family.architecture(HfConfig.read(GoldenModels.dir("qwen2")));
        assertThat(a.block().resource()).isEqualTo("llama_layer.pt");
        assertThat(a.block().slidingWindow()).isZero();
        BlockInput bias = a.layerInputs(0).stream().filter(i -> i.slot().equals("qkv_bias")).findFirst()
                .orElseThrow();
        assertThat(bias.parts()).noneMatch(LayerWeight::optional);
        assertThat(a.spec().maxPositions()).isEqualTo(256);
    }

    @Test
    void slidingWindowOnlyWhenSwitchedOn() throws IOException {
        assertThat(family.architecture(FamilyConfigs.write(dir, "qwen2", "\"sliding_window\":8")).block()
                .slidingWindow()).isZero();
        Architecture on = family.architecture(FamilyConfigs.write(dir, "qwen2",
                "\"sliding_window\":8,\"use_sliding_window\":true"));
        assertThat(on.block().slidingWindow()).isEqualTo(8);
        assertThat(on.block().usesSlidingWindow(3)).isTrue();
        assertThat(family.architecture(FamilyConfigs.write(dir, "qwen2", "")).spec().maxPositions())
                .isEqualTo(32768);
    }
}
