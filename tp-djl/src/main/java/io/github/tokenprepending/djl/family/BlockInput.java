package io.github.tokenprepending.djl.family;

import java.util.List;

/**
 * One weight argument of a layer block, named as the block's manifest names it ({@code qkv}), holding the
 * concatenation along the first dimension of checkpoint tensors (q, k and v projections stacked into one
 * matrix, so a block multiplies once instead of three times). Optional parts the checkpoint lacks become zeros;
 * if every part is optional and missing, the block gets an empty tensor.
 *
 * @param slot the block argument this fills
 * @param parts the checkpoint tensors, in order
 */
public record BlockInput(String slot, List<LayerWeight> parts) {

    /** Validates and copies. */
    public BlockInput {
        if (slot == null || slot.isBlank()) {
            throw new IllegalArgumentException("a block input needs its slot name");
        }
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("block input " + slot + " needs at least one tensor");
        }
        parts = List.copyOf(parts);
    }

    /**
     * @param slot the block argument this fills
     * @param parts checkpoint tensors to stack
     * @return the input
     */
    public static BlockInput of(String slot, LayerWeight... parts) {
        return new BlockInput(slot, List.of(parts));
    }

    /** @return whether the checkpoint may lack every part */
    public boolean optional() {
        return parts.stream().allMatch(LayerWeight::optional);
    }
}
