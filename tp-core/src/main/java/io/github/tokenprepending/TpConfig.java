package io.github.tokenprepending;

import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import java.util.Objects;

/**
 * Settings of {@link TokenPrependingEncoder}.
 *
 * @param tp the Token Prepending layer range, or null for vanilla (no replacement)
 * @param outputLayer where the embedding is read
 * @param prompts the prompt(s); with Token Prepending each needs a {@code <PST>} (vanilla uses the templates'
 *     vanilla variants)
 * @param batchSize most prompts per batch
 * @param maxBatchTokens most padded token slots (rows times longest row) per batch
 * @param maxTokens most tokens per prompt; a longer sentence is truncated, the template around it kept; 0 = the
 *     model's {@code max_position_embeddings}
 * @param normalize whether embeddings are L2-normalised, after {@code dimensions} (sentence-transformers'
 *     {@code normalize_embeddings}); a head's own Normalize module acts before
 * @param prefixCache whether the prompt's shared prefix is computed once and reused (when the model supports it)
 * @param head how the output layer's states become a vector (pooling, Dense, Normalize) and the named prompts
 * @param promptName the named prompt of calls that name none: one of the head's prompts or a prompt method of the
 *     paper ({@code prompteol}, {@code cot}, ...); null for {@code prompts} (a trained embedder's folder sets them to
 *     its default prompt)
 * @param dimensions keep the first N components of every vector (Matryoshka, sentence-transformers'
 *     {@code truncate_dim}); 0 keeps all
 */
public record TpConfig(
        TpRange tp,
        OutputLayer outputLayer,
        PromptSet prompts,
        int batchSize,
        int maxBatchTokens,
        int maxTokens,
        boolean normalize,
        boolean prefixCache,
        EmbeddingHead head,
        String promptName,
        int dimensions) {

    /** Validates the settings. */
    public TpConfig {
        Objects.requireNonNull(outputLayer, "outputLayer");
        Objects.requireNonNull(prompts, "prompts");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("max batch tokens must be >= 1, got " + maxBatchTokens);
        }
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must be >= 0 (0 = the model's limit), got " + maxTokens);
        }
        if (tp != null) {
            prompts.requirePlaceholders();
        }
        Objects.requireNonNull(head, "head");
        if (promptName != null && promptName.isBlank()) {
            promptName = null;
        }
        if (dimensions < 0) {
            throw new IllegalArgumentException("dimensions must be >= 1 (or 0 for all), got " + dimensions);
        }
    }

    /** @return true when no Token Prepending step is applied */
    public boolean isVanilla() {
        return tp == null;
    }

    /** @return a builder with the defaults listed on {@link Builder} */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with these settings */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.tp = tp;
        b.outputLayer = outputLayer;
        b.prompts = prompts;
        b.batchSize = batchSize;
        b.maxBatchTokens = maxBatchTokens;
        b.maxTokens = maxTokens;
        b.normalize = normalize;
        b.prefixCache = prefixCache;
        b.head = head;
        b.promptName = promptName;
        b.dimensions = dimensions;
        return b;
    }

    /**
     * Builds a {@link TpConfig}. Defaults: PromptEOL, TP over layers 1..6 ({@code tp(1, 7)}), output
     * {@code hidden_states[-1]}, batches of at most 32 prompts and 8192 padded tokens, the model's token limit,
     * no normalisation, prefix cache on, the last token's state as it is (no head), no prompt name, all dimensions.
     */
    public static final class Builder {
        private TpRange tp = new TpRange(1, 7);
        private OutputLayer outputLayer = OutputLayer.last();
        private PromptSet prompts = PromptSet.of(PromptMethod.PROMPTEOL);
        private int batchSize = 32;
        private int maxBatchTokens = 8192;
        private int maxTokens;
        private boolean normalize;
        private boolean prefixCache = true;
        private EmbeddingHead head = EmbeddingHead.lastToken();
        private String promptName;
        private int dimensions;

        private Builder() {
        }

        /**
         * @param head how the output layer's states become a vector, and the named prompts
         * @return this
         */
        public Builder head(EmbeddingHead head) {
            this.head = head;
            return this;
        }

        /**
         * @param promptName the named prompt of calls that name none, or null for {@link #prompts(PromptSet)}
         * @return this
         */
        public Builder promptName(String promptName) {
            this.promptName = promptName;
            return this;
        }

        /**
         * @param dimensions keep the first N components (0 = all)
         * @return this
         */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /**
         * @param start first decoder layer whose input is modified
         * @param exit first decoder layer whose input is no longer modified
         * @return this
         */
        public Builder tp(int start, int exit) {
            this.tp = new TpRange(start, exit);
            return this;
        }

        /**
         * @param range the range, or null for vanilla
         * @return this
         */
        public Builder tp(TpRange range) {
            this.tp = range;
            return this;
        }

        /** @return this, with no Token Prepending step */
        public Builder vanilla() {
            this.tp = null;
            return this;
        }

        /**
         * @param outputLayer where the embedding is read
         * @return this
         */
        public Builder outputLayer(OutputLayer outputLayer) {
            this.outputLayer = outputLayer;
            return this;
        }

        /**
         * @param hiddenStatesIndex the paper's {@code hidden_states} index (27, -1, -2, ...)
         * @return this
         */
        public Builder outputLayer(int hiddenStatesIndex) {
            return outputLayer(OutputLayer.hiddenStates(hiddenStatesIndex));
        }

        /**
         * @param method one of the paper's prompt methods
         * @return this
         */
        public Builder prompt(PromptMethod method) {
            this.prompts = PromptSet.of(method);
            return this;
        }

        /**
         * @param prompts the prompt set
         * @return this
         */
        public Builder prompts(PromptSet prompts) {
            this.prompts = prompts;
            return this;
        }

        /**
         * @param template a user-defined template with {@code {sentence}} and {@code <PST>}
         * @return this
         */
        public Builder template(String template) {
            this.prompts = PromptSet.custom(template);
            return this;
        }

        /**
         * @param batchSize most prompts per batch
         * @return this
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param maxBatchTokens most padded token slots per batch
         * @return this
         */
        public Builder maxBatchTokens(int maxBatchTokens) {
            this.maxBatchTokens = maxBatchTokens;
            return this;
        }

        /**
         * @param maxTokens most tokens per prompt (0 = the model's limit)
         * @return this
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * @param normalize L2-normalise embeddings
         * @return this
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * @param prefixCache reuse the prompt's shared prefix
         * @return this
         */
        public Builder prefixCache(boolean prefixCache) {
            this.prefixCache = prefixCache;
            return this;
        }

        /** @return the validated settings */
        public TpConfig build() {
            return new TpConfig(tp, outputLayer, prompts, batchSize, maxBatchTokens, maxTokens, normalize,
                    prefixCache, head, promptName, dimensions);
        }
    }
}
