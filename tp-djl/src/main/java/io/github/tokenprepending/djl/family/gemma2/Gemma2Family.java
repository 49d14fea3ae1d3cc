package io.github.tokenprepending.djl.family.gemma2;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.CommonConfig;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.LayerTensors;
import io.github.tokenprepending.djl.family.ModelFamily;
import io.github.tokenprepending.djl.family.RopeSpec;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gemma2: embeddings times sqrt(H) (rounded to the compute dtype), RMSNorm with {@code (1 + w)}, norms before and
 * after attention and MLP, scores scaled by {@code query_pre_attn_scalar^-0.5} and soft-capped
 * ({@code attn_logit_softcapping}), a sliding window on even layers, GeGLU with the tanh GELU, {@code head_dim}
 * from the config.
 */
public final class Gemma2Family implements ModelFamily {

    @Override
    public String name() {
        return "gemma2";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("gemma2");
    }

    @Override
    public Architecture architecture(HfConfig config) throws CheckpointException {
        Gemma2Config own = config.bind(Gemma2Config.class);
        CommonConfig common = CommonConfig.of(config);
        DecoderSpec spec = common.spec(8192)
                .headDim(own.headDimOrDefault())
                .rope(RopeSpec.plain(common.theta()))
                .activation(CommonConfig.activation(config, "hidden_activation", own.hiddenActivation(),
                        "gelu_pytorch_tanh"))
                .embedScale(Math.sqrt(common.hiddenSize()))
                .build();
        return new Gemma2(spec, new Block(own.window(), own.attentionScale(), own.softcap()));
    }

    private record Gemma2(DecoderSpec spec, LayerBlock block) implements Architecture {
        @Override
        public String family() {
            return "gemma2";
        }

        @Override
        public List<BlockInput> layerInputs(int layer) {
            LayerTensors t = new LayerTensors(spec, layer);
            return List.of(
                    BlockInput.of("input_layernorm", t.norm("input_layernorm")),
                    BlockInput.of("qkv", t.attention("q"), t.attention("k"), t.attention("v")),
                    BlockInput.of("o", t.attention("o")),
                    BlockInput.of("post_attention_layernorm", t.norm("post_attention_layernorm")),
                    BlockInput.of("pre_feedforward_layernorm", t.norm("pre_feedforward_layernorm")),
                    BlockInput.of("post_feedforward_layernorm", t.norm("post_feedforward_layernorm")),
                    BlockInput.of("gate_up", t.mlp("gate"), t.mlp("up")),
                    BlockInput.of("down", t.mlp("down")));
        }
    }

    /**
     * {@code gemma2_layer.pt}: sliding-window attention on even layers (0, 2, 4, ...), global on odd ones.
     *
     * @param slidingWindow the window W of even layers
     * @param scale the attention score multiplier
     * @param softcap the logit soft-cap, 0 for none
     */
    private record Block(int slidingWindow, double scale, double softcap) implements LayerBlock {
        @Override
        public String resource() {
            return "gemma2_layer.pt";
        }

        @Override
        public FinalNorm finalNorm() {
            return FinalNorm.RMS_UNIT_OFFSET;
        }

        @Override
        public boolean usesSlidingWindow(int layer) {
            return slidingWindow > 0 && layer % 2 == 0;
        }

        @Override
        public Map<String, Double> extraArguments(int layer) {
            return Map.of("scale", scale, "softcap", softcap);
        }
    }
}
