package io.github.tokenprepending.djl.llama;

import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LayerWeight;
import java.util.List;

/** The weights {@code llama_layer.pt} takes, under HF Llama tensor names. */
public final class LlamaWeights {
    private LlamaWeights() {
    }

    /**
     * @param spec the architecture
     * @param layer the layer
     * @return input norm, q, k, v, o, post-attention norm, gate, up, down, then the q, k, v, o biases (optional)
     */
    public static List<LayerWeight> of(DecoderSpec spec, int layer) {
        String p = "model.layers." + layer + ".";
        long h = spec.hiddenSize();
        long q = (long) spec.numHeads() * spec.headDim();
        long kv = (long) spec.numKvHeads() * spec.headDim();
        long i = spec.intermediateSize();
        return List.of(
                LayerWeight.required(p + "input_layernorm.weight", h),
                LayerWeight.required(p + "self_attn.q_proj.weight", q, h),
                LayerWeight.required(p + "self_attn.k_proj.weight", kv, h),
                LayerWeight.required(p + "self_attn.v_proj.weight", kv, h),
                LayerWeight.required(p + "self_attn.o_proj.weight", h, q),
                LayerWeight.required(p + "post_attention_layernorm.weight", h),
                LayerWeight.required(p + "mlp.gate_proj.weight", i, h),
                LayerWeight.required(p + "mlp.up_proj.weight", i, h),
                LayerWeight.required(p + "mlp.down_proj.weight", h, i),
                LayerWeight.optional(p + "self_attn.q_proj.bias", q),
                LayerWeight.optional(p + "self_attn.k_proj.bias", kv),
                LayerWeight.optional(p + "self_attn.v_proj.bias", kv),
                LayerWeight.optional(p + "self_attn.o_proj.bias", h));
    }
}
