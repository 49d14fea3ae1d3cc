package io.github.tokenprepending.djl.qwen2;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.HfSpecs;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.ModelFamily;
import io.github.tokenprepending.djl.llama.LlamaBlock;
import io.github.tokenprepending.djl.llama.LlamaWeights;
import java.util.List;

/**
 * Qwen2 and Qwen2.5: the Llama layer with biases on q, k and v (never on o), GQA, {@code rope_theta} usually
 * 1e6. A sliding window ({@code use_sliding_window}, off in real checkpoints) applies to every layer, as the
 * official Token Prepending code applies it.
 */
public final class Qwen2Family implements ModelFamily {

    @Override
    public String name() {
        return "qwen2";
    }

    @Override
    public boolean supports(String modelType) {
        return modelType.equals("qwen2");
    }

    @Override
    public DecoderSpec spec(HfConfig config) throws CheckpointException {
        int window = config.useSlidingWindow() ? config.slidingWindow().orElse(0) : 0;
        int heads = config.numAttentionHeads();
        int headDim = config.hiddenSize() / heads;
        return new DecoderSpec(config.modelType(), config.hiddenSize(), config.numHiddenLayers(), heads,
                config.numKeyValueHeads(), headDim, config.intermediateSize(), config.vocabSize(),
                config.maxPositionEmbeddings(32768), config.rmsNormEps(), HfSpecs.rope(config, 10000.0),
                HfSpecs.activation(config, "hidden_act", config.hiddenAct(), "silu"), 1.0, true, false, window,
                Math.pow(headDim, -0.5), 0, config.bosTokenId().orElse(-1));
    }

    @Override
    public List<BlockInput> layerInputs(DecoderSpec spec, int layer) {
        return LlamaWeights.of(spec, layer, true);
    }

    @Override
    public LayerBlock block(DecoderSpec spec) {
        return new LlamaBlock(spec.slidingWindow());
    }
}
