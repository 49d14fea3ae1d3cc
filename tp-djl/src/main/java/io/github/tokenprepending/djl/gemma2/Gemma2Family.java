package io.github.tokenprepending.djl.gemma2;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.HfSpecs;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.LayerTensors;
import io.github.tokenprepending.djl.family.ModelFamily;
import io.github.tokenprepending.djl.family.RopeSpec;
import java.util.List;

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
    public boolean supports(String modelType) {
        return modelType.equals("gemma2");
    }

    @Override
    public DecoderSpec spec(HfConfig config) throws CheckpointException {
        int hidden = config.hiddenSize();
        int headDim = config.has("head_dim") ? config.requirePositiveInt("head_dim") : 256;
        double scalar = config.queryPreAttnScalar().orElse(256);
        double softcap = config.has("attn_logit_softcapping") ? config.attnLogitSoftcapping().orElse(0) : 50.0;
        return new DecoderSpec(config.modelType(), hidden, config.numHiddenLayers(), config.numAttentionHeads(),
                config.numKeyValueHeads(), headDim, config.intermediateSize(), config.vocabSize(),
                config.maxPositionEmbeddings(8192), config.rmsNormEps(),
                RopeSpec.plain(config.has("rope_theta") ? config.ropeTheta() : 10000.0),
                HfSpecs.activation(config, "hidden_activation", config.hiddenActivation(), "gelu_pytorch_tanh"),
                Math.sqrt(hidden), false, false, config.slidingWindow().orElse(4096), Math.pow(scalar, -0.5),
                softcap, config.bosTokenId().orElse(-1));
    }

    @Override
    public List<BlockInput> layerInputs(DecoderSpec spec, int layer) {
        LayerTensors t = new LayerTensors(spec, layer);
        return List.of(
                BlockInput.of(t.norm("input_layernorm")),
                BlockInput.of(t.attention("q"), t.attention("k"), t.attention("v")),
                BlockInput.of(t.attention("o")),
                BlockInput.of(t.norm("post_attention_layernorm")),
                BlockInput.of(t.norm("pre_feedforward_layernorm")),
                BlockInput.of(t.norm("post_feedforward_layernorm")),
                BlockInput.of(t.mlp("gate"), t.mlp("up")),
                BlockInput.of(t.mlp("down")));
    }

    @Override
    public LayerBlock block(DecoderSpec spec) {
        return new Gemma2Block(spec.slidingWindow(), spec.attentionScale(), spec.attentionSoftcap());
    }
}
