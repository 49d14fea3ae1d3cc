package io.github.tokenprepending;

import io.github.tokenprepending.head.Pooling;
import io.github.tokenprepending.spi.ForwardPass;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;

/**
 * The Token Prepending layer loop on one batch: before every decoder layer {@code i} of the plan with
 * {@code start <= i < exit} the {@code <PST>} state is replaced by the last token's state; layers after the
 * plan's last are never run; the result is the last tokens' states.
 */
public final class LayerLoop {
    private LayerLoop() {
    }

    /**
     * @param model the model
     * @param batch the token ids
     * @param plan how many layers run (and which prefix is reused)
     * @param tp the Token Prepending range, or null for vanilla
     * @return the last-token state of every row after {@code plan.layers()} layers (final-normed if that is every
     *     layer)
     */
    public static float[][] run(LayerwiseModel model, TokenBatch batch, PassPlan plan, TpRange tp) {
        return run(model, batch, plan, tp, Pooling.LAST_TOKEN, null);
    }

    /**
     * @param model the model
     * @param batch the token ids
     * @param plan how many layers run (and which prefix is reused); a mean needs a plan without last-token-only
     * @param tp the Token Prepending range, or null for vanilla
     * @param pooling how each row's states become one vector
     * @param from for a mean, per row the first position averaged; ignored for the last token
     * @return one pooled vector per row after {@code plan.layers()} layers (final-normed if that is every layer)
     */
    public static float[][] run(LayerwiseModel model, TokenBatch batch, PassPlan plan, TpRange tp, Pooling pooling,
            int[] from) {
        try (ForwardPass pass = model.start(batch, plan)) {
            for (int i = 0; i < plan.layers(); i++) {
                if (tp != null && tp.appliesBefore(i)) {
                    pass.prependSentenceEmbedding();
                }
                pass.runLayer(i);
            }
            return switch (pooling) {
                case LAST_TOKEN -> pass.pooled();
                case MEAN -> pass.meanPooled(from, false);
                case WEIGHTED_MEAN -> pass.meanPooled(from, true);
            };
        }
    }
}
