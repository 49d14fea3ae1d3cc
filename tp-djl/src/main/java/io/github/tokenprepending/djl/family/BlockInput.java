package io.github.tokenprepending.djl.family;

import java.util.List;

/**
 * One weight argument of a layer block: the concatenation, along the first dimension, of checkpoint tensors (q, k
 * and v projections stacked into one matrix, so a block multiplies once instead of three times). Optional parts the
 * checkpoint lacks become zeros; if every part is optional and missing, the block gets an empty tensor.
 *
 * @param parts the checkpoint tensors, in order
 */
public record BlockInput(List<LayerWeight> parts) {

    /** Validates and copies. */
    public BlockInput {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a block input needs at least one tensor");
        }
        parts = List.copyOf(parts);
    }

    /**
     * @param parts checkpoint tensors to stack
     * @return the input
     */
    public static BlockInput of(LayerWeight... parts) {
        return new BlockInput(List.of(parts));
    }

    /** @return whether the checkpoint may lack every part */
    public boolean optional() {
        return parts.stream().allMatch(LayerWeight::optional);
    }
}
