package io.github.tokenprepending.djl.family.qwen3;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerBlock;
import io.github.tokenprepending.djl.family.LayerWeight;
import io.github.tokenprepending.djl.family.LlamaLike;
import io.github.tokenprepending.djl.family.ModelFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Qwen3 (dense): the Llama layer plus per-head RMSNorm of queries and keys ({@code self_attn.q_norm},
 * {@code k_norm}, [head_dim]) before RoPE, {@code head_dim} from the config, no q/k/v bias unless
 * {@code attention_bias}, GQA, {@code rope_theta} 1e6 in real checkpoints, tied embeddings on the small sizes
 * (the LM head is never used). Block: {@code qwen3_layer.pt}.
 */
public final class Qwen3Family implements ModelFamily {
    static final String BLOCK = "qwen3_layer.pt";

    @Override
    public String name() {
        return "qwen3";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("qwen3");
    }

    @Override
    public Architecture architecture(HfConfig config) throws CheckpointException {
        Qwen3Config own = config.bind(Qwen3Config.class);
        DecoderSpec spec = LlamaLike.spec(config, 32768).headDim(own.headDimOrDefault()).build();
        return new Qwen3(spec, LlamaLike.block(BLOCK, 0), own.bias());
    }

    private record Qwen3(DecoderSpec spec, LayerBlock block, boolean bias) implements Architecture {
        @Override
        public String family() {
            return "qwen3";
        }

        @Override
        public List<BlockInput> layerInputs(int layer) {
            List<BlockInput> inputs = new ArrayList<>(LlamaLike.weights(spec, layer, bias));
            String attention = "model.layers." + layer + ".self_attn.";
            inputs.add(BlockInput.of("q_norm", LayerWeight.required(attention + "q_norm.weight", spec.headDim())));
            inputs.add(BlockInput.of("k_norm", LayerWeight.required(attention + "k_norm.weight", spec.headDim())));
            return inputs;
        }
    }
}
