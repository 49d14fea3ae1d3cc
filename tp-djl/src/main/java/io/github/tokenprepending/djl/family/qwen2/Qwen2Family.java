package io.github.tokenprepending.djl.family.qwen2;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.CommonConfig;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LlamaLike;
import io.github.tokenprepending.djl.family.ModelFamily;
import java.util.Set;

/**
 * Qwen2 and Qwen2.5: the Llama layer with biases on q, k and v (never on o), GQA, {@code rope_theta} usually
 * 1e6, {@code head_dim} = hidden / heads. A sliding window ({@code use_sliding_window}, off in real checkpoints)
 * applies to every layer, as the official Token Prepending code applies it.
 */
public final class Qwen2Family implements ModelFamily {

    @Override
    public String name() {
        return "qwen2";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("qwen2");
    }

    @Override
    public Architecture architecture(HfConfig config) throws CheckpointException {
        Qwen2Config own = config.bind(Qwen2Config.class);
        CommonConfig common = CommonConfig.of(config);
        DecoderSpec spec = LlamaLike.spec(config, 32768)
                .headDim(common.hiddenSize() / common.numAttentionHeads())
                .build();
        return LlamaLike.architecture(name(), spec, LlamaLike.block(own.window()), true);
    }
}
