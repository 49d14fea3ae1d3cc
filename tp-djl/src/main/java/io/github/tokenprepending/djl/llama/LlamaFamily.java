package io.github.tokenprepending.djl.llama;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.HfSpecs;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.ModelFamily;
import java.util.List;
import java.util.Set;

/**
 * Llama-2, Llama-3 / 3.1 ({@code rope_scaling} llama3, linear, dynamic), and Llama-shaped types such as
 * Mistral ({@code sliding_window} on every layer): pre-norm attention with rotary embeddings (GQA allowed),
 * SwiGLU MLP, RMSNorm. Optional attention biases ({@code attention_bias}); tied or untied embeddings (the LM
 * head is never used).
 */
public final class LlamaFamily implements ModelFamily {
    private static final Set<String> TYPES = Set.of("llama", "mistral");

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public boolean supports(String modelType) {
        return TYPES.contains(modelType);
    }

    @Override
    public DecoderSpec spec(HfConfig config) throws CheckpointException {
        if (config.mlpBias()) {
            throw new CheckpointException(config.path(), "'mlp_bias' true is not supported");
        }
        boolean bias = config.attentionBias();
        return new DecoderSpec(config.modelType(), config.hiddenSize(), config.numHiddenLayers(),
                config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(), config.intermediateSize(),
                config.vocabSize(), config.maxPositionEmbeddings(2048), config.rmsNormEps(),
                HfSpecs.rope(config, 10000.0),
                HfSpecs.activation(config, "hidden_act", config.hiddenAct(), "silu"), 1.0, bias, bias,
                config.slidingWindow().orElse(0), Math.pow(config.headDim(), -0.5), 0,
                config.bosTokenId().orElse(-1));
    }

    @Override
    public List<BlockInput> layerInputs(DecoderSpec spec, int layer) {
        return LlamaWeights.of(spec, layer, false);
    }

    @Override
    public LayerBlock block(DecoderSpec spec) {
        return new LlamaBlock(spec.slidingWindow());
    }
}
