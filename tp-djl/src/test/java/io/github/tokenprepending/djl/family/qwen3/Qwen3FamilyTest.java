package io.github.tokenprepending.djl.family.qwen3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.djl.GoldenModels;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.FamilyConfigs;
import io.github.tokenprepending.djl.family.LayerWeight;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen3's own config fields; the golden config (transformers 5 layout) has head_dim 32 with hidden 64 / 4 heads. */
class Qwen3FamilyTest {
    private final Qwen3Family family = new Qwen3Family();

    @TempDir
    Path dir;

    @Test
    void headDimFromTheConfigAndRopeFromRopeParameters() throws IOException {
        Architecture a = family.architecture(HfConfig.read(GoldenModels.dir("qwen3")));
        assertThat(a.spec().headDim()).isEqualTo(32);
        assertThat(a.spec().hiddenSize() / a.spec().numHeads()).isEqualTo(16);
        assertThat(a.spec().rope().theta()).isEqualTo(1e6);
        assertThat(a.block().resource()).isEqualTo("qwen3_layer.pt");
        assertThat(a.block().slidingWindow()).isZero();
    }

    @Test
    void perHeadNormsAndOptionalBiases() throws IOException {
        List<BlockInput> inputs = family.architecture(HfConfig.read(GoldenModels.dir("qwen3"))).layerInputs(2);
        BlockInput qNorm = inputs.get(inputs.size() - 2);
        assertThat(qNorm.slot()).isEqualTo("q_norm");
        assertThat(qNorm.parts().get(0).name()).isEqualTo("model.layers.2.self_attn.q_norm.weight");
        assertThat(qNorm.parts().get(0).shape()).containsExactly(32);
        BlockInput qkv = inputs.stream().filter(i -> i.slot().equals("qkv")).findFirst().orElseThrow();
        assertThat(qkv.parts().get(0).shape()).containsExactly(4 * 32, 64);
        assertThat(qkv.parts().get(1).shape()).containsExactly(2 * 32, 64);
        assertThat(inputs.stream().filter(i -> i.slot().equals("qkv_bias")).findFirst().orElseThrow().optional())
                .isTrue();
        List<BlockInput> biased = family.architecture(FamilyConfigs.write(dir, "qwen3", "\"attention_bias\":true"))
                .layerInputs(0);
        assertThat(biased.stream().filter(i -> i.slot().equals("qkv_bias")).findFirst().orElseThrow().parts())
                .noneMatch(LayerWeight::optional);
    }

    @Test
    void defaultsAndRejections() throws IOException {
        assertThat(family.architecture(FamilyConfigs.write(dir, "qwen3", "")).spec().headDim()).isEqualTo(128);
        HfConfig sliding = FamilyConfigs.write(dir, "qwen3", "\"use_sliding_window\":true");
        assertThatThrownBy(() -> family.architecture(sliding))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("'use_sliding_window' true is not supported for qwen3");
        HfConfig badBias = FamilyConfigs.write(dir, "qwen3", "\"attention_bias\":\"no\"");
        assertThatThrownBy(() -> family.architecture(badBias))
                .hasMessageContaining("'attention_bias' must be true or false, got \"no\"");
    }
}
