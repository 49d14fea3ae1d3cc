package io.github.tokenprepending.djl.family;

import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.HfConfig;
import java.util.List;

/**
 * The shared "Llama-like" base of families whose layer is {@code llama_layer.pt} (or extends it): the spec read
 * from the common config.json fields, the layer's weight slots under HF Llama tensor names, and its block. A
 * family starts from {@link #spec} and overrides by name, e.g. {@code LlamaLike.spec(config, 32768).headDim(128)}.
 */
public final class LlamaLike {
    /** The block file of the Llama layer. */
    public static final String BLOCK = "llama_layer.pt";

    private LlamaLike() {
    }

    /**
     * @param config config.json
     * @param defaultMaxPositions the family's {@code max_position_embeddings} default
     * @return a builder with {@link CommonConfig#spec}'s settings and {@code hidden_act} (default silu)
     * @throws CheckpointException naming the field that is missing or malformed
     * @throws IllegalArgumentException for an unsupported RoPE scaling or a head_dim that cannot be derived
     */
    public static DecoderSpec.Builder spec(HfConfig config, int defaultMaxPositions) throws CheckpointException {
        CommonConfig common = CommonConfig.of(config);
        return common.spec(defaultMaxPositions)
                .activation(CommonConfig.activation(config, "hidden_act", common.hiddenAct(), "silu"));
    }

    /**
     * The weight slots of {@code llama_layer.pt} (and the first eight of {@code qwen3_layer.pt}).
     *
     * @param spec the architecture
     * @param layer the layer
     * @param qkvBias whether the q, k, v biases must exist (Qwen2) rather than may (Llama)
     * @return input_layernorm, qkv, o, post_attention_layernorm, gate_up, down, qkv_bias, o_bias
     */
    public static List<BlockInput> weights(DecoderSpec spec, int layer, boolean qkvBias) {
        LayerTensors t = new LayerTensors(spec, layer);
        return List.of(
                BlockInput.of("input_layernorm", t.norm("input_layernorm")),
                BlockInput.of("qkv", t.attention("q"), t.attention("k"), t.attention("v")),
                BlockInput.of("o", t.attention("o")),
                BlockInput.of("post_attention_layernorm", t.norm("post_attention_layernorm")),
                BlockInput.of("gate_up", t.mlp("gate"), t.mlp("up")),
                BlockInput.of("down", t.mlp("down")),
                BlockInput.of("qkv_bias", t.attentionBias("q", qkvBias), t.attentionBias("k", qkvBias),
                        t.attentionBias("v", qkvBias)),
                BlockInput.of("o_bias", t.attentionBias("o", false)));
    }

    /**
     * @param window sliding attention window on every layer (Mistral's {@code sliding_window}, Qwen2's
     *     {@code use_sliding_window} as the official code applies it), or 0 for none
     * @return the Llama layer block
     */
    public static LayerBlock block(int window) {
        return block(BLOCK, window);
    }

    /**
     * @param resource a block file that takes the Llama layer's arguments (and perhaps more weights)
     * @param window sliding attention window on every layer, or 0
     * @return the block, RMS final norm
     */
    public static LayerBlock block(String resource, int window) {
        if (window < 0) {
            throw new IllegalArgumentException("sliding window " + window + " must not be negative");
        }
        return new LayerBlock() {
            @Override
            public String resource() {
                return resource;
            }

            @Override
            public FinalNorm finalNorm() {
                return FinalNorm.RMS;
            }

            @Override
            public int slidingWindow() {
                return window;
            }

            @Override
            public boolean usesSlidingWindow(int layer) {
                return window > 0;
            }
        };
    }

    /**
     * @param family the family name
     * @param spec the architecture
     * @param block the layer block
     * @param qkvBias whether q, k, v biases must exist
     * @return an architecture with the Llama layer's weights
     */
    public static Architecture architecture(String family, DecoderSpec spec, LayerBlock block, boolean qkvBias) {
        return new Architecture() {
            @Override
            public String family() {
                return family;
            }

            @Override
            public DecoderSpec spec() {
                return spec;
            }

            @Override
            public LayerBlock block() {
                return block;
            }

            @Override
            public List<BlockInput> layerInputs(int layer) {
                return weights(spec, layer, qkvBias);
            }
        };
    }
}
