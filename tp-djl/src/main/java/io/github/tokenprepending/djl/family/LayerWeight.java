package io.github.tokenprepending.djl.family;

/**
 * One weight tensor a decoder layer block takes.
 *
 * @param name the checkpoint tensor name ({@code model.layers.3.self_attn.q_proj.weight})
 * @param shape the expected shape
 * @param optional true when the checkpoint may lack it (a bias); the block then gets an empty tensor
 */
public record LayerWeight(String name, long[] shape, boolean optional) {

    /**
     * @param name tensor name
     * @param shape expected shape
     * @return a required weight
     */
    public static LayerWeight required(String name, long... shape) {
        return new LayerWeight(name, shape, false);
    }

    /**
     * @param name tensor name
     * @param shape expected shape
     * @return a weight the checkpoint may lack
     */
    public static LayerWeight optional(String name, long... shape) {
        return new LayerWeight(name, shape, true);
    }
}
