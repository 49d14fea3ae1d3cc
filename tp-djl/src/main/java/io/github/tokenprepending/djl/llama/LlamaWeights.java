package io.github.tokenprepending.djl.llama;

import io.github.tokenprepending.djl.family.BlockInput;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerTensors;
import java.util.List;

/** The weights {@code llama_layer.pt} takes, under HF Llama tensor names. */
public final class LlamaWeights {
    private LlamaWeights() {
    }

    /**
     * @param spec the architecture
     * @param layer the layer
     * @param qkvBiasRequired whether the q, k, v biases must exist (Qwen2) rather than may (Llama)
     * @return input norm, q|k|v, o, post-attention norm, gate|up, down, q|k|v bias, o bias
     */
    public static List<BlockInput> of(DecoderSpec spec, int layer, boolean qkvBiasRequired) {
        LayerTensors t = new LayerTensors(spec, layer);
        return List.of(
                BlockInput.of(t.norm("input_layernorm")),
                BlockInput.of(t.attention("q"), t.attention("k"), t.attention("v")),
                BlockInput.of(t.attention("o")),
                BlockInput.of(t.norm("post_attention_layernorm")),
                BlockInput.of(t.mlp("gate"), t.mlp("up")),
                BlockInput.of(t.mlp("down")),
                BlockInput.of(t.attentionBias("q", qkvBiasRequired), t.attentionBias("k", qkvBiasRequired),
                        t.attentionBias("v", qkvBiasRequired)),
                BlockInput.of(t.attentionBias("o", false)));
    }
}
