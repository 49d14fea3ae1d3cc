package io.github.tokenprepending.djl.family;

/**
 * HF tensor names and shapes of one decoder layer ({@code model.layers.N.*}), for families' weight lists.
 *
 * @param spec the architecture
 * @param layer the layer
 */
public record LayerTensors(DecoderSpec spec, int layer) {

    private String name(String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    private long queryWidth() {
        return (long) spec.numHeads() * spec.headDim();
    }

    private long kvWidth() {
        return (long) spec.numKvHeads() * spec.headDim();
    }

    /**
     * @param norm the norm's name in the layer ({@code input_layernorm}, ...)
     * @return its weight [H]
     */
    public LayerWeight norm(String norm) {
        return LayerWeight.required(name(norm + ".weight"), spec.hiddenSize());
    }

    /**
     * @param projection {@code q}, {@code k}, {@code v} or {@code o}
     * @return {@code self_attn.<p>_proj.weight}, [out, in]
     */
    public LayerWeight attention(String projection) {
        long h = spec.hiddenSize();
        String n = name("self_attn." + projection + "_proj.weight");
        switch (projection) {
            case "q": return LayerWeight.required(n, queryWidth(), h);
            case "k": case "v": return LayerWeight.required(n, kvWidth(), h);
            case "o": return LayerWeight.required(n, h, queryWidth());
            default: throw new IllegalArgumentException("no attention projection " + projection);
        }
    }

    /**
     * @param projection {@code q}, {@code k}, {@code v} or {@code o}
     * @param required whether the checkpoint must have it
     * @return {@code self_attn.<p>_proj.bias}
     */
    public LayerWeight attentionBias(String projection, boolean required) {
        long width = switch (projection) {
            case "q" -> queryWidth();
            case "k", "v" -> kvWidth();
            case "o" -> spec.hiddenSize();
            default -> throw new IllegalArgumentException("no attention projection " + projection);
        };
        return new LayerWeight(name("self_attn." + projection + "_proj.bias"), new long[] {width}, !required);
    }

    /**
     * @param projection {@code gate}, {@code up} or {@code down}
     * @return {@code mlp.<p>_proj.weight}
     */
    public LayerWeight mlp(String projection) {
        long h = spec.hiddenSize();
        long i = spec.intermediateSize();
        String n = name("mlp." + projection + "_proj.weight");
        return projection.equals("down") ? LayerWeight.required(n, h, i) : LayerWeight.required(n, i, h);
    }
}
