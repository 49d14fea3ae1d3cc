package io.github.tokenprepending.djl.family.llama;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import io.github.tokenprepending.djl.family.Architecture;
import io.github.tokenprepending.djl.family.LlamaLike;
import io.github.tokenprepending.djl.family.ModelFamily;
import java.util.Set;

/**
 * Llama-2, Llama-3 / 3.1 ({@code rope_scaling} llama3, linear, dynamic), and Llama-shaped types such as
 * Mistral ({@code sliding_window} on every layer): pre-norm attention with rotary embeddings (GQA allowed),
 * SwiGLU MLP, RMSNorm. Optional attention biases ({@code attention_bias}); tied or untied embeddings (the LM
 * head is never used).
 */
public final class LlamaFamily implements ModelFamily {

    @Override
    public String name() {
        return "llama";
    }

    @Override
    public Set<String> modelTypes() {
        return Set.of("llama", "mistral");
    }

    @Override
    public Architecture architecture(HfConfig config) throws CheckpointException {
        LlamaConfig own = config.bind(LlamaConfig.class);
        if (Boolean.TRUE.equals(own.mlpBias())) {
            throw new CheckpointException(config.path(), "'mlp_bias' true is not supported");
        }
        return LlamaLike.architecture(name(), LlamaLike.spec(config, 2048).build(), LlamaLike.block(own.window()),
                false);
    }
}
