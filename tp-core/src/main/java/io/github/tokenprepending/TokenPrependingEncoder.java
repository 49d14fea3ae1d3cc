package io.github.tokenprepending;

import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.head.Pooling;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PrefixCache;
import io.github.tokenprepending.spi.TextTokenizer;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds sentences with Token Prepending: it renders each sentence into the prompt(s), tokenizes, batches
 * prompts of similar length, and drives the model layer by layer, replacing the {@code <PST>} state with the
 * last token's state before every layer of the TP range, and stopping at the output layer.
 *
 * <p>Thread-safe. Tokenization runs in the calling threads; forward passes are serialised, one batch at a time,
 * because one pass already uses every core (CPU intra-op threads) or the whole GPU, and running two at once
 * would only make both slower and double peak memory. Results never depend on how calls interleave.
 *
 * <p>Does not own the model: closing the encoder frees its prefix caches, not the model.
 */
public final class TokenPrependingEncoder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenPrependingEncoder.class);

    private final LayerwiseModel model;
    private final TpConfig config;
    private final int layers;
    private final int maxTokens;
    private final int vocabSize;
    private final EmbeddingHead head;
    private final int headDimension;
    private final int dimension;
    private final Map<String, PromptSet> namedPrompts = new ConcurrentHashMap<>();
    private final Map<PromptTemplate, Integer> promptLengths = new ConcurrentHashMap<>();
    private final ReentrantLock runLock = new ReentrantLock(true);
    private final Map<PromptTemplate, PrefixCache> prefixes = new HashMap<>();
    private final Map<PromptTemplate, int[]> templatePrefixes = new HashMap<>();
    private final AtomicBoolean truncationLogged = new AtomicBoolean();
    private final AtomicLong prompts = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicLong computedTokens = new AtomicLong();
    private final AtomicLong paddedSlots = new AtomicLong();
    private volatile boolean closed;
    private final boolean cutsByTokens;

    /**
     * @param model the model (not owned)
     * @param config the settings
     * @throws IllegalArgumentException if the output layer lies outside the model or past its loaded layers
     */
    public TokenPrependingEncoder(LayerwiseModel model, TpConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        ModelInfo info = model.info();
        this.layers = config.outputLayer().layersToRun(info.numLayers());
        if (layers > model.loadedLayers()) {
            throw new IllegalArgumentException("output layer " + config.outputLayer() + " needs " + layers
                    + " decoder layers, but the model was loaded with only " + model.loadedLayers() + " of its "
                    + info.numLayers() + " (for an earlier output layer): load it for this output layer, or"
                    + " with SentenceEncoder.Builder.loadLayersFor(...) when variants read later layers");
        }
        this.maxTokens = config.maxTokens() > 0 ? config.maxTokens() : info.maxPositions();
        this.vocabSize = info.vocabSize();
        this.head = config.head();
        this.headDimension = head.dimension(info.hiddenSize());
        if (config.dimensions() > headDimension) {
            throw new IllegalArgumentException("dimensions " + config.dimensions() + " exceed the model's "
                    + headDimension + "-dimensional embeddings");
        }
        this.dimension = config.dimensions() > 0 ? config.dimensions() : headDimension;
        this.cutsByTokens = cutsByTokens(model.tokenizer());
        promptSet(null); // refuses an unknown default prompt name now rather than at the first call
        if (config.tp() != null && config.tp().start() >= layers) {
            LOG.warn("TP range {} starts at or after the output layer ({} layers run): no replacement happens",
                    config.tp(), layers);
        }
    }

    private static boolean cutsByTokens(TextTokenizer tokenizer) {
        try {
            tokenizer.encode(RenderedPrompt.plain("a"), Integer.MAX_VALUE);
            return true;
        } catch (UnsupportedOperationException e) {
            return false;
        }
    }

    /** @return the settings */
    public TpConfig config() {
        return config;
    }

    /** @return the model */
    public LayerwiseModel model() {
        return model;
    }

    /**
     * @return the embedding dimension: {@link TpConfig#dimensions()} when set, else the head's output size (the
     *     model's hidden size unless a Dense module changes it)
     */
    public int dimension() {
        return dimension;
    }

    /** @return the dimension before {@link TpConfig#dimensions()}: the most a caller may ask for */
    public int fullDimension() {
        return headDimension;
    }

    /**
     * Resolves a prompt name: one of the head's prompts (the text before the input, as sentence-transformers
     * prepends it), else a prompt method of the paper ({@code prompteol}, {@code cot}, {@code ke},
     * {@code metaeol}); null for {@link TpConfig#promptName()}, and when that is null too, {@link TpConfig#prompts()}.
     *
     * @param promptName a prompt name, or null
     * @return the prompt set it names
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public PromptSet promptSet(String promptName) {
        String name = promptName != null && !promptName.isBlank() ? promptName : config.promptName();
        if (name == null) {
            return config.prompts();
        }
        return namedPrompts.computeIfAbsent(name, this::resolvePrompt);
    }

    private PromptSet resolvePrompt(String name) {
        PromptSet set;
        if (head.prompts().containsKey(name)) {
            set = PromptSet.prefix(name, head.prompts().get(name));
        } else {
            try {
                set = PromptSet.of(PromptMethod.parse(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown prompt name '" + name + "' (" + (head.prompts().isEmpty()
                        ? "" : "the model's prompts: " + String.join(", ", head.prompts().keySet()) + "; ")
                        + "the paper's methods: prompteol, cot, ke, metaeol)", e);
            }
        }
        if (!config.isVanilla()) {
            set.requirePlaceholders();
        }
        return set;
    }

    private List<PromptTemplate> templates(PromptSet set) {
        return config.isVanilla() ? set.templates().stream().map(PromptTemplate::vanilla).toList() : set.templates();
    }

    /** @return number of decoder layers each prompt goes through */
    public int layersRun() {
        return layers;
    }

    /**
     * @param sentence a sentence
     * @return its embedding
     */
    public float[] embed(String sentence) {
        Objects.requireNonNull(sentence, "sentence");
        return embed(List.of(sentence)).get(0);
    }

    /**
     * @param sentences sentences; empty and whitespace-only ones are embedded too
     * @return one embedding per sentence, in input order
     * @throws NullPointerException if the list or one of its elements is null (the message names the index)
     */
    public List<float[]> embed(List<String> sentences) {
        return embed(sentences, ProgressListener.none());
    }

    /**
     * @param sentences sentences; empty and whitespace-only ones are embedded too
     * @param progress told after every batch
     * @return one embedding per sentence, in input order
     * @throws NullPointerException if the list or one of its elements is null (the message names the index)
     * @throws IllegalArgumentException if a sentence cannot be tokenized or gives ids outside the model's
     *     embedding (the message starts with {@code sentence <index>: })
     * @throws IllegalStateException if the encoder (or the model) is closed, before or during the call
     */
    public List<float[]> embed(List<String> sentences, ProgressListener progress) {
        return embed(sentences, null, progress);
    }

    /**
     * @param sentences sentences; empty and whitespace-only ones are embedded too
     * @param promptName the named prompt ({@link #promptSet(String)}), or null for the default
     * @param progress told after every batch
     * @return one embedding per sentence, in input order
     * @throws NullPointerException if the list or one of its elements is null (the message names the index)
     * @throws IllegalArgumentException for an unknown prompt name, or if a sentence cannot be tokenized or gives ids
     *     outside the model's embedding (the message starts with {@code sentence <index>: })
     * @throws IllegalStateException if the encoder (or the model) is closed, before or during the call
     */
    public List<float[]> embed(List<String> sentences, String promptName, ProgressListener progress) {
        return embed(sentences, promptName, 0, progress);
    }

    /**
     * @param sentences sentences; empty and whitespace-only ones are embedded too
     * @param promptName the named prompt ({@link #promptSet(String)}), or null for the default
     * @param dimensions keep the first N components for this call (then normalised if {@link TpConfig#normalize()}),
     *     at most {@link #dimension()}; 0 for {@link #dimension()}
     * @param progress told after every batch
     * @return one embedding per sentence, in input order
     * @throws IllegalArgumentException for an unknown prompt name or too many dimensions, or if a sentence cannot
     *     be tokenized or gives ids outside the model's embedding (the message starts with {@code sentence <index>: })
     */
    public List<float[]> embed(List<String> sentences, String promptName, int dimensions, ProgressListener progress) {
        return embed(sentences, promptName, dimensions, progress, null);
    }

    /**
     * Like {@link #embed(List, ProgressListener)}, also giving each sentence's prompt length in tokens (the first
     * template's, before truncation) from the same tokenization.
     *
     * @param sentences sentences
     * @param progress told after every batch
     * @param promptLengths filled with the prompt length of each sentence, in input order (as long as
     *     {@code sentences}), or null
     * @return one embedding per sentence, in input order
     */
    List<float[]> embed(List<String> sentences, ProgressListener progress, int[] promptLengths) {
        return embed(sentences, null, 0, progress, promptLengths);
    }

    /**
     * The embedding loop: named prompt, per-call dimensions, and each sentence's prompt length (the first template's,
     * before truncation) into {@code promptLengths} when it is not null.
     */
    List<float[]> embed(List<String> sentences, String promptName, int dimensions, ProgressListener progress,
            int[] promptLengths) {
        if (dimensions < 0 || dimensions > dimension) {
            throw new IllegalArgumentException("dimensions " + dimensions + " outside 1.." + dimension
                    + " (the model's embeddings have " + dimension + ")");
        }
        int keep = dimensions == 0 ? dimension : dimensions;
        Objects.requireNonNull(sentences, "sentences");
        for (int i = 0; i < sentences.size(); i++) {
            if (sentences.get(i) == null) {
                throw new NullPointerException("sentence " + i + " is null");
            }
        }
        ensureOpen();
        PromptSet set = promptSet(promptName);
        List<PromptTemplate> templates = templates(set);
        int n = sentences.size();
        if (n == 0) {
            return List.of();
        }
        int dim = headDimension;
        double[][] sum = new double[n][dim];
        long total = (long) n * templates.size();
        long done = 0;
        for (PromptTemplate template : templates) {
            List<TokenizedPrompt> tokenized = new ArrayList<>(n);
            int[] lengthsBeforeTruncation = template == templates.get(0) ? promptLengths : null;
            for (int i = 0; i < n; i++) {
                tokenized.add(tokenize(set, template, sentences.get(i), i, lengthsBeforeTruncation));
            }
            int[] lengths = tokenized.stream().mapToInt(TokenizedPrompt::length).toArray();
            for (int[] batch : LengthSortedBatcher.plan(lengths, config.batchSize(), config.maxBatchTokens())) {
                List<TokenizedPrompt> rows = new ArrayList<>(batch.length);
                for (int i : batch) {
                    rows.add(tokenized.get(i));
                }
                float[][] pooled = runBatch(set, template, rows);
                for (int r = 0; r < batch.length; r++) {
                    float[] v = head.apply(pooled[r]);
                    double[] acc = sum[batch[r]];
                    for (int d = 0; d < dim; d++) {
                        acc[d] += v[d];
                    }
                }
                done += batch.length;
                progress.onProgress(done, total);
            }
        }
        List<float[]> out = new ArrayList<>(n);
        for (double[] acc : sum) {
            out.add(finish(acc, templates.size(), keep));
        }
        prompts.addAndGet(total);
        return out;
    }

    /**
     * Tokenizes a sentence the way {@link #embed(List)} does (preprocessing, template, truncation).
     *
     * @param sentence the sentence
     * @return one tokenized prompt per template
     */
    public List<TokenizedPrompt> tokenize(String sentence) {
        return tokenize(sentence, null);
    }

    /**
     * Tokenizes a sentence the way {@link #embed(List, String, ProgressListener)} does with a named prompt.
     *
     * @param sentence the sentence
     * @param promptName the named prompt, or null for the default
     * @return one tokenized prompt per template
     */
    public List<TokenizedPrompt> tokenize(String sentence, String promptName) {
        Objects.requireNonNull(sentence, "sentence");
        PromptSet set = promptSet(promptName);
        List<TokenizedPrompt> out = new ArrayList<>();
        for (PromptTemplate template : templates(set)) {
            out.add(tokenize(set, template, sentence, 0, null));
        }
        return out;
    }

    /**
     * @param sentence a sentence
     * @return the length in tokens of its prompt (the first template's), before truncation
     */
    public int promptLength(String sentence) {
        return promptLength(sentence, null);
    }

    /**
     * @param sentence a sentence
     * @param promptName the named prompt, or null for the default
     * @return the length in tokens of its prompt (the first template's), before truncation
     */
    public int promptLength(String sentence, String promptName) {
        Objects.requireNonNull(sentence, "sentence");
        ensureOpen();
        PromptSet set = promptSet(promptName);
        PromptTemplate template = templates(set).get(0);
        return model.tokenizer().encode(template.render(set.preprocessor().apply(sentence))).length();
    }

    /** @return the most tokens a prompt keeps: the configured limit, else the model's */
    public int maxTokens() {
        return maxTokens;
    }

    /** @return counters of the work done so far */
    public EncodingStats stats() {
        return new EncodingStats(prompts.get(), batches.get(), tokens.get(), computedTokens.get(),
                paddedSlots.get());
    }

    /** Sets the counters of {@link #stats()} back to zero. */
    public void resetStats() {
        prompts.set(0);
        batches.set(0);
        tokens.set(0);
        computedTokens.set(0);
        paddedSlots.set(0);
    }

    /**
     * Frees the prefix caches. Waits for a running batch to finish; calls still running fail with an
     * {@link IllegalStateException} at their next batch. Closing twice is harmless.
     */
    @Override
    public void close() {
        runLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            prefixes.values().forEach(PrefixCache::close);
            prefixes.clear();
        } finally {
            runLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the encoder is closed");
        }
    }

    /** @param lengths where the prompt's length before truncation goes, at {@code index}; or null */
    private TokenizedPrompt tokenize(PromptSet set, PromptTemplate template, String sentence, int index,
            int[] lengths) {
        TextTokenizer tokenizer = model.tokenizer();
        SentencePreprocessor pre = set.preprocessor();
        try {
            RenderedPrompt rendered = template.render(pre.apply(sentence));
            TokenizedPrompt prompt = tokenizer.encode(rendered);
            if (lengths != null) {
                lengths[index] = prompt.length();
            }
            if (prompt.length() > maxTokens) {
                prompt = template.isPrefix() && cutsByTokens
                        ? tokenizer.encode(rendered, maxTokens)
                        : truncate(pre, template, sentence, index, prompt.length());
            }
            if (template.hasPlaceholder() && prompt.placeholderIndex() < 0) {
                throw new IllegalStateException("the tokenizer lost the <PST> placeholder");
            }
            checkVocabulary(prompt);
            return prompt;
        } catch (IllegalStateException e) {
            // a closed encoder, model or tokenizer, or a broken tokenizer: not the caller's text
            if (closed) {
                throw new IllegalStateException("the encoder was closed while embedding", e);
            }
            throw new IllegalStateException("sentence " + index + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("sentence " + index + ": " + e.getMessage(), e);
        }
    }

    /**
     * Refuses ids the model has no embedding row for (a tokenizer that does not match the checkpoint), here, where
     * the sentence is known; the template's placeholder may lie outside, its input vector comes from the model.
     */
    private void checkVocabulary(TokenizedPrompt prompt) {
        if (vocabSize <= 0) {
            return;
        }
        int[] bad = TokenBatch.of(List.of(prompt)).firstIdOutside(vocabSize, true);
        if (bad != null) {
            throw new IllegalArgumentException("token id " + prompt.ids()[bad[1]] + " at position " + bad[1]
                    + " is outside the model's " + vocabSize + " embedding rows (the tokenizer does not match the"
                    + " checkpoint)");
        }
    }

    /** Keeps the longest head of the sentence whose prompt fits {@link #maxTokens}; the template stays whole. */
    private TokenizedPrompt truncate(SentencePreprocessor pre, PromptTemplate template, String sentence, int index,
            int length) {
        TextTokenizer tokenizer = model.tokenizer();
        int[] codePoints = sentence.codePoints().toArray();
        int lo = 0;
        int hi = codePoints.length - 1;
        TokenizedPrompt best = tokenizer.encode(template.render(pre.apply("")));
        if (best.length() > maxTokens) {
            throw new IllegalArgumentException("the prompt template alone takes " + best.length()
                    + " tokens, more than the limit of " + maxTokens);
        }
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            TokenizedPrompt p = tokenizer.encode(template.render(pre.apply(new String(codePoints, 0, mid))));
            if (p.length() <= maxTokens) {
                lo = mid;
                best = p;
            } else {
                hi = mid - 1;
            }
        }
        if (truncationLogged.compareAndSet(false, true)) {
            LOG.warn("sentence {}: its prompt has {} tokens, more than the limit of {}; the sentence was cut to its"
                    + " first {} characters and the template kept whole (further cuts are not logged)",
                    index, length, maxTokens, lo);
        }
        return best;
    }

    private float[][] runBatch(PromptSet set, PromptTemplate template, List<TokenizedPrompt> rows) {
        TokenBatch batch = TokenBatch.of(rows);
        int[] from = head.pooling() == Pooling.LAST_TOKEN ? null : pooledFrom(set, template, batch);
        runLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the encoder was closed while embedding");
            }
            PassPlan plan = planFor(set, template, batch, from);
            int p = plan.prefixLength();
            long computed = batch.realTokens() - (long) p * batch.size();
            batches.incrementAndGet();
            tokens.addAndGet(batch.realTokens());
            computedTokens.addAndGet(computed);
            paddedSlots.addAndGet((long) batch.size() * (batch.maxLength() - p));
            return LayerLoop.run(model, batch, plan, config.tp(), head.pooling(), from);
        } finally {
            runLock.unlock();
        }
    }

    /**
     * Chooses how much of the template's cached prefix this batch reuses: the longest prefix shared by every
     * row and the cache, ending before the first {@code <PST>} and before each row's last token.
     *
     * <p>The cache holds the template's own leading tokens (see {@link #templatePrefix}), never tokens of a
     * caller's sentence, so what is cached, and therefore every later result, does not depend on which
     * sentences happened to come first.
     */
    private PassPlan planFor(PromptSet set, PromptTemplate template, TokenBatch batch, int[] from) {
        PassPlan plan = PassPlan.layers(layers);
        if (from == null) {
            plan = plan.withLastTokenOnly();
        }
        if (!config.prefixCache() || layers == 0 || !model.supportsPrefixCache()) {
            return plan;
        }
        int cap = Integer.MAX_VALUE;
        int firstAveraged = Integer.MAX_VALUE;
        for (int r = 0; r < batch.size(); r++) {
            int pst = batch.placeholderIndex(r);
            cap = Math.min(cap, pst >= 0 ? pst : batch.length(r) - 1);
            if (from != null) {
                firstAveraged = Math.min(firstAveraged, from[r]);
            }
        }
        PrefixCache cache = prefixes.get(template);
        if (cache == null) {
            int[] fixed = templatePrefixes.computeIfAbsent(template, t -> templatePrefix(set, t));
            if (fixed.length < 1) {
                return plan;
            }
            cache = model.cachePrefix(fixed, layers);
            prefixes.put(template, cache);
        }
        if (!cache.holdsFinalStates()) {
            // a mean reads every position it averages: without the prefix's final states in the cache, those must
            // not lie in the reused prefix
            cap = Math.min(cap, firstAveraged);
        }
        int p = commonPrefix(batch, cache.ids(), cap);
        return p < 1 ? plan : plan.withPrefix(cache, p);
    }

    /**
     * The ids every prompt of a template starts with, whatever the sentence: the common head of the template
     * rendered with two probe sentences that share no first token, cut before {@code <PST>} and before the last
     * token. A row reuses only the part of it that its own ids repeat, so a sentence whose first token merges
     * with the template's last one still gets exact results.
     */
    private int[] templatePrefix(PromptSet set, PromptTemplate template) {
        SentencePreprocessor pre = set.preprocessor();
        TokenizedPrompt a = model.tokenizer().encode(template.render(pre.apply("a")));
        TokenizedPrompt b = model.tokenizer().encode(template.render(pre.apply("0")));
        int[] x = a.ids();
        int[] y = b.ids();
        int limit = Math.min(x.length, y.length) - 1;
        if (a.placeholderIndex() >= 0) {
            limit = Math.min(limit, Math.min(a.placeholderIndex(), b.placeholderIndex()));
        }
        int k = 0;
        while (k < limit && x[k] == y[k]) {
            k++;
        }
        return Arrays.copyOf(x, k);
    }

    private static int commonPrefix(TokenBatch batch, int[] ids, int cap) {
        int p = Math.min(cap, ids.length);
        for (int r = 0; r < batch.size() && p > 0; r++) {
            int k = 0;
            int limit = Math.min(p, batch.length(r));
            while (k < limit && batch.id(r, k) == ids[k]) {
                k++;
            }
            p = k;
        }
        return p;
    }

    /**
     * Per row the first position a mean averages: 0, or with {@code include_prompt} false the prompt's tokens left
     * out as sentence-transformers counts them (the prompt tokenized alone, less a trailing special token such as an
     * appended EOS) and, under Token Prepending, the {@code <PST>} after them. At least the last token stays.
     */
    private int[] pooledFrom(PromptSet set, PromptTemplate template, TokenBatch batch) {
        int[] from = new int[batch.size()];
        if (head.includePrompt()) {
            return from;
        }
        int prompt = promptLengths.computeIfAbsent(template, t -> promptLength(set, t));
        for (int r = 0; r < from.length; r++) {
            int pst = batch.placeholderIndex(r);
            int skip = pst >= 0 ? Math.max(prompt, pst + 1) : prompt;
            from[r] = Math.min(skip, batch.length(r) - 1);
        }
        return from;
    }

    private int promptLength(PromptSet set, PromptTemplate template) {
        RenderedPrompt rendered = template.vanilla().render(set.preprocessor().apply(""));
        if (rendered.before().isEmpty()) {
            return 0; // sentence-transformers measures no prompt when there is none
        }
        int[] ids = model.tokenizer().encode(rendered).ids();
        return model.tokenizer().isSpecial(ids[ids.length - 1]) ? ids.length - 1 : ids.length;
    }

    /** Averages over prompts, keeps the first {@link TpConfig#dimensions()} components, then normalises if asked. */
    private float[] finish(double[] sum, int count, int keep) {
        float[] v = new float[keep];
        for (int d = 0; d < keep; d++) {
            v[d] = (float) (sum[d] / count);
        }
        return config.normalize() ? EmbeddingHead.l2Normalized(v) : v;
    }
}
