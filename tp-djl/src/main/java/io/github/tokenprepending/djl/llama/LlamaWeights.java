package io.github.tokenprepending.djl.llama;

import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerTensors;
import io.github.tokenprepending.djl.family.LayerWeight;
import java.util.List;

/** The weights {@code llama_layer.pt} takes, under HF Llama tensor names. */
public final class LlamaWeights {
    private LlamaWeights() {
    }

    /**
     * @param spec the architecture
     * @param layer the layer
     * @param qkvBiasRequired whether the q, k, v biases must exist (Qwen2) rather than may (Llama)
     * @return input norm, q, k, v, o, post-attention norm, gate, up, down, then the q, k, v, o biases
     */
    public static List<LayerWeight> of(DecoderSpec spec, int layer, boolean qkvBiasRequired) {
        LayerTensors t = new LayerTensors(spec, layer);
        return List.of(
                t.norm("input_layernorm"),
                t.attention("q"), t.attention("k"), t.attention("v"), t.attention("o"),
                t.norm("post_attention_layernorm"),
                t.mlp("gate"), t.mlp("up"), t.mlp("down"),
                t.attentionBias("q", qkvBiasRequired), t.attentionBias("k", qkvBiasRequired),
                t.attentionBias("v", qkvBiasRequired), t.attentionBias("o", false));
    }
}
