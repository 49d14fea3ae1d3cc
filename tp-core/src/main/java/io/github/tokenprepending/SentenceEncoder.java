package io.github.tokenprepending;

import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.head.Pooling;
import io.github.tokenprepending.hub.DownloadListener;
import io.github.tokenprepending.hub.ModelResolver;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.LayerwiseModelProvider;
import io.github.tokenprepending.spi.ModelInfo;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Sentence embeddings from a decoder-only LLM with Token Prepending, for applications:
 *
 * <pre>{@code
 * try (SentenceEncoder encoder = SentenceEncoder.builder().model("meta-llama/Llama-2-7b-hf").tp(1, 7).build()) {
 *     List<float[]> vectors = encoder.embed(List.of("A man plays a guitar.", "Someone makes music."));
 * }
 * }</pre>
 *
 * <p>{@code model(...)} takes a local checkpoint directory or a HuggingFace model id (looked up in the HF cache,
 * else downloaded into it). The engine comes from the class path ({@code tp-djl}). Settings not given come from
 * the model's preset (the paper's settings when the id names a known model, else {@link Presets#defaultFor}).
 * Thread-safe; see {@link TokenPrependingEncoder} for how calls are scheduled.
 */
public final class SentenceEncoder implements AutoCloseable {
    private final LayerwiseModel model;
    private final TokenPrependingEncoder encoder;
    private final Preset preset;
    private final Path modelDir;
    private final String modelId;
    private final boolean ownsModel;
    private final EncoderSettings settings;
    private volatile int templateTokens = -1;

    private SentenceEncoder(LayerwiseModel model, TokenPrependingEncoder encoder, Preset preset, Path modelDir,
            String modelId, boolean ownsModel, EncoderSettings settings) {
        this.settings = settings;
        this.model = model;
        this.encoder = encoder;
        this.preset = preset;
        this.modelDir = modelDir;
        this.modelId = modelId;
        this.ownsModel = ownsModel;
    }

    /** @return a builder; {@link Builder#model(String)} is required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param sentence a sentence
     * @return its embedding
     */
    public float[] embed(String sentence) {
        return encoder.embed(sentence);
    }

    /**
     * @param sentences the sentences
     * @return one embedding per sentence, in input order
     */
    public List<float[]> embed(List<String> sentences) {
        return encoder.embed(sentences);
    }

    /**
     * @param sentences the sentences
     * @param progress told after every batch
     * @return one embedding per sentence, in input order
     */
    public List<float[]> embed(List<String> sentences, ProgressListener progress) {
        return encoder.embed(sentences, progress);
    }

    /**
     * Embeds with a named prompt: one of the model's prompts ({@code query}, {@code document}, ... from its
     * sentence-transformers folder; {@link #promptNames()}), or for a base model a prompt method of the paper
     * ({@code prompteol}, {@code cot}, {@code ke}, {@code metaeol}).
     *
     * @param sentences the sentences
     * @param promptName the prompt's name, or null for the default ({@link TpConfig#promptName()}, else the
     *     folder's {@code default_prompt_name}, else the raw text; the preset's method for a base model)
     * @return one embedding per sentence, in input order
     * @throws IllegalArgumentException for an unknown prompt name (the message lists the known ones)
     */
    public List<float[]> embed(List<String> sentences, String promptName) {
        return encoder.embed(sentences, promptName, ProgressListener.none());
    }

    /**
     * @param sentences the sentences
     * @param promptName the prompt's name, or null for the default
     * @param progress told after every batch
     * @return one embedding per sentence, in input order
     */
    public List<float[]> embed(List<String> sentences, String promptName, ProgressListener progress) {
        return encoder.embed(sentences, promptName, progress);
    }

    /**
     * Embeds with a named prompt and a per-call Matryoshka size: the first {@code dimensions} components, normalised
     * after the cut when the encoder normalises (as sentence-transformers' {@code truncate_dim} with
     * {@code normalize_embeddings}).
     *
     * @param sentences the sentences
     * @param promptName the prompt's name, or null for the default
     * @param dimensions the components kept, 1..{@link #dimension()}; 0 for {@link #dimension()}
     * @return one embedding per sentence, in input order
     * @throws IllegalArgumentException for an unknown prompt name or dimensions above {@link #dimension()}
     */
    public List<float[]> embed(List<String> sentences, String promptName, int dimensions) {
        return encoder.embed(sentences, promptName, dimensions, ProgressListener.none());
    }

    /**
     * @param sentence a sentence
     * @param promptName the prompt's name, or null for the default
     * @return its embedding
     */
    public float[] embed(String sentence, String promptName) {
        Objects.requireNonNull(sentence, "sentence");
        return embed(List.of(sentence), promptName).get(0);
    }

    /**
     * Checks a prompt name without embedding anything.
     *
     * @param promptName a prompt name, or null
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public void checkPromptName(String promptName) {
        encoder.promptSet(promptName);
    }

    /**
     * @param promptName a prompt name, or null for the default
     * @return the prompt set it resolves to (templates and preprocessing)
     * @throws IllegalArgumentException for an unknown name (the message lists the known ones)
     */
    public PromptSet prompts(String promptName) {
        return encoder.promptSet(promptName);
    }

    /** @return the model's named prompts (from its sentence-transformers folder), in the folder's order */
    public List<String> promptNames() {
        return List.copyOf(encoder.config().head().prompts().keySet());
    }

    /** @return how the output layer's states become a vector (pooling, Dense, Normalize) and the named prompts */
    public EmbeddingHead head() {
        return encoder.config().head();
    }

    /** @return the largest dimension a caller may ask for: the model's output size before truncation */
    public int fullDimension() {
        return encoder.fullDimension();
    }

    /**
     * Embeds sentences and counts their tokens from the same tokenization (for usage reports: an API's
     * {@code prompt_tokens}).
     *
     * @param sentences the sentences
     * @return one embedding and one token count ({@link #countTokens}) per sentence, in input order
     */
    public Embeddings encode(List<String> sentences) {
        return encode(sentences, null, 0);
    }

    /**
     * Embeds sentences with a named prompt and a per-call size, and counts their tokens from the same tokenization.
     *
     * @param sentences the sentences
     * @param promptName the prompt's name, or null for the default
     * @param dimensions the components kept, 1..{@link #dimension()}; 0 for {@link #dimension()}
     * @return one embedding and one token count (the prompt's tokens minus the named prompt's own) per sentence
     * @throws IllegalArgumentException for an unknown prompt name or dimensions above {@link #dimension()}
     */
    public Embeddings encode(List<String> sentences, String promptName, int dimensions) {
        int[] promptLengths = new int[sentences.size()];
        List<float[]> vectors = encoder.embed(sentences, promptName, dimensions, ProgressListener.none(),
                promptLengths);
        int template = sentences.isEmpty() ? 0 : promptName == null ? templateTokens()
                : encoder.promptLength("", promptName);
        int[] counts = new int[promptLengths.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = Math.max(0, promptLengths[i] - template);
        }
        return new Embeddings(vectors, counts);
    }

    /**
     * @param sentence a sentence
     * @return its prompt(s) as token ids, with the {@code <PST>} position
     */
    public List<TokenizedPrompt> tokenize(String sentence) {
        return encoder.tokenize(sentence);
    }

    /**
     * @param sentence a sentence
     * @param promptName the prompt's name, or null for the default
     * @return its prompt(s) as token ids with that prompt
     */
    public List<TokenizedPrompt> tokenize(String sentence, String promptName) {
        return encoder.tokenize(sentence, promptName);
    }

    /** @return the embedding dimension (after {@link Builder#dimensions(int)}) */
    public int dimension() {
        return encoder.dimension();
    }

    /** @return the settings in use */
    public TpConfig config() {
        return encoder.config();
    }

    /**
     * @return the settings this encoder was opened with ({@link EncoderSettings#open()}), all unset for an encoder
     *     made with the builder alone; a {@link #variant} reports its parent's
     */
    public EncoderSettings settings() {
        return settings;
    }

    /** @return the preset the defaults came from */
    public Preset preset() {
        return preset;
    }

    /** @return facts about the model */
    public ModelInfo modelInfo() {
        return model.info();
    }

    /** @return the local checkpoint directory, or null for a model given as an instance */
    public Path modelDirectory() {
        return modelDir;
    }

    /**
     * @return the model as given to {@link Builder#model(String)} (an id or a directory), or the family name for a
     *     model given as an instance
     */
    public String modelId() {
        return modelId;
    }

    /** @return decoder layers each prompt runs through (early exit stops at the output layer) */
    public int layersRun() {
        return encoder.layersRun();
    }

    /**
     * Counts the tokens a sentence contributes to its prompt: the prompt's length minus the length of the same
     * prompt around an empty sentence (the first template's, before truncation). For usage reports.
     *
     * @param sentence a sentence
     * @return its tokens in the prompt, at least 0
     */
    public int countTokens(String sentence) {
        return Math.max(0, encoder.promptLength(sentence) - templateTokens());
    }

    /**
     * @return the length in tokens of the prompt around an empty sentence (the first template's): what
     *     {@link #promptTokens} adds to {@link #countTokens} for every sentence
     */
    public int templateTokens() {
        int n = templateTokens;
        if (n < 0) {
            n = encoder.promptLength("");
            templateTokens = n;
        }
        return n;
    }

    /**
     * @param sentence a sentence
     * @return the length in tokens of its prompt, template included, before truncation to {@link #maxTokens()}
     */
    public int promptTokens(String sentence) {
        return encoder.promptLength(sentence);
    }

    /**
     * @param sentence a sentence
     * @param promptName the named prompt, or null for the default
     * @return the length in tokens of its prompt with that named prompt, before truncation to {@link #maxTokens()}
     */
    public int promptTokens(String sentence, String promptName) {
        return encoder.promptLength(sentence, promptName);
    }

    /** @return the most tokens a prompt keeps; longer sentences are cut, the template kept */
    public int maxTokens() {
        return encoder.maxTokens();
    }

    /** @return counters of the work done so far (prompts, batches, tokens, padding) */
    public EncodingStats stats() {
        return encoder.stats();
    }

    /** Sets the counters of {@link #stats()} back to zero. */
    public void resetStats() {
        encoder.resetStats();
    }

    /**
     * An encoder over the same loaded model with changed settings: a vanilla baseline, another output layer, a
     * query prompt beside a document prompt. It shares the model's memory and does not own it: close it before
     * this encoder (closing it frees only its own caches).
     *
     * <pre>{@code
     * try (SentenceEncoder queries = encoder.variant(c -> c.template("Query : <PST> \"{sentence}\" means in one word:\""))) { ... }
     * }</pre>
     *
     * @param change edits a builder that starts from this encoder's settings
     * @return the variant; close it
     * @throws IllegalArgumentException for inconsistent settings
     */
    public SentenceEncoder variant(Consumer<TpConfig.Builder> change) {
        TpConfig.Builder config = encoder.config().toBuilder();
        change.accept(config);
        return new SentenceEncoder(model, new TokenPrependingEncoder(model, config.build()), preset, modelDir,
                modelId, false, settings);
    }

    /**
     * Frees the model (unless this is a {@link #variant}). Calls still running finish or fail with an
     * {@link IllegalStateException}.
     */
    @Override
    public void close() {
        encoder.close();
        if (ownsModel) {
            model.close();
        }
    }

    /**
     * Builds a {@link SentenceEncoder}. Unset settings come from the preset; {@link #vanilla()} without an explicit
     * output layer reads {@code hidden_states[-1]}, the paper's vanilla baseline.
     */
    public static final class Builder {
        private String model;
        private LayerwiseModel instance;
        private String revision;
        private boolean offline;
        private EncoderSettings settings = EncoderSettings.builder().build();
        private ModelResolver resolver;
        private DownloadListener listener;
        private LayerwiseModelProvider provider;
        private Preset preset;
        private ModelOptions options = ModelOptions.defaults();
        private EmbeddingHead head;
        private Pooling pooling;
        private String promptName;
        private Integer dimensions;
        private final List<OutputLayer> alsoLoadFor = new ArrayList<>();
        /** Token Prepending settings instead of the preset's, or null for the preset's. */
        private TpConfig tpConfig;
        // Single settings over the preset's (or config's); null: not set. build() resolves them once.
        /** Empty: vanilla, no Token Prepending. */
        private Optional<TpRange> tp;
        private OutputLayer outputLayer;
        private PromptSet prompts;
        private Integer batchSize;
        private Integer maxBatchTokens;
        private Integer maxTokens;
        private Boolean normalize;
        private Boolean prefixCache;

        private Builder() {
        }

        /**
         * @param idOrPath a local checkpoint directory or a HuggingFace id such as {@code meta-llama/Llama-2-7b-hf}
         * @return this
         */
        public Builder model(String idOrPath) {
            this.model = Objects.requireNonNull(idOrPath, "model");
            this.instance = null;
            return this;
        }

        /**
         * @param loaded a model already loaded (built by hand, or with random weights for a benchmark); the
         *     encoder owns it from now on. Device, dtype and placeholder settings do not apply to it, and without
         *     {@link #preset(String)} the default preset for its layer count is used.
         * @return this
         */
        public Builder model(LayerwiseModel loaded) {
            this.instance = Objects.requireNonNull(loaded, "model");
            this.model = null;
            return this;
        }

        /**
         * @param dir a local checkpoint directory
         * @return this
         */
        public Builder model(Path dir) {
            return model(dir.toString());
        }

        /**
         * @param revision a branch, tag or commit on the Hub (default {@code main})
         * @return this
         */
        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        /**
         * @param offline never contact the Hub (default: {@code HF_HUB_OFFLINE})
         * @return this
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * @param resolver how ids are found and downloaded (cache directory, token, offline mode, endpoint); by
         *     default from the environment ({@code HF_HOME}, {@code HF_TOKEN}, {@code HF_HUB_OFFLINE}, ...)
         * @return this
         */
        public Builder resolver(ModelResolver resolver) {
            this.resolver = resolver;
            return this;
        }

        /**
         * @param listener told about downloads (default: logged)
         * @return this
         */
        public Builder downloadListener(DownloadListener listener) {
            this.listener = listener;
            return this;
        }

        /**
         * @param provider the engine; by default the first {@link LayerwiseModelProvider} on the class path that
         *     supports the checkpoint
         * @return this
         */
        public Builder provider(LayerwiseModelProvider provider) {
            this.provider = provider;
            return this;
        }

        /**
         * @param name a preset of {@link Presets} ({@code llama-2-7b}, ...) or {@code default}
         * @return this
         */
        public Builder preset(String name) {
            this.preset = name.equalsIgnoreCase("default") ? null : Presets.byName(name);
            return this;
        }

        /**
         * @param preset a preset
         * @return this
         */
        public Builder preset(Preset preset) {
            this.preset = preset;
            return this;
        }

        /**
         * @param start first decoder layer whose {@code <PST>} input is replaced
         * @param exit first decoder layer whose input is no longer replaced
         * @return this
         */
        public Builder tp(int start, int exit) {
            return tp(new TpRange(start, exit));
        }

        /**
         * @param range the layers whose {@code <PST>} input is replaced
         * @return this
         */
        public Builder tp(TpRange range) {
            this.tp = Optional.of(Objects.requireNonNull(range, "range"));
            return this;
        }

        /**
         * Embeds without Token Prepending (the vanilla prompt); without an explicit {@link #outputLayer} it reads
         * {@code hidden_states[-1]}, the paper's vanilla baseline.
         *
         * @return this
         */
        public Builder vanilla() {
            this.tp = Optional.empty();
            return this;
        }

        /**
         * @param config every Token Prepending setting at once, instead of the preset's; the single setters
         *     ({@link #tp}, {@link #outputLayer}, ...) still override its values
         * @return this
         */
        public Builder config(TpConfig config) {
            this.tpConfig = Objects.requireNonNull(config, "config");
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
         * @param outputLayer where embeddings are read
         * @return this
         */
        public Builder outputLayer(OutputLayer outputLayer) {
            this.outputLayer = Objects.requireNonNull(outputLayer, "outputLayer");
            return this;
        }

        /**
         * @param method a prompt method of the paper
         * @return this
         */
        public Builder prompt(PromptMethod method) {
            return prompts(PromptSet.of(method));
        }

        /**
         * @param template a template with {@code {sentence}} and, for Token Prepending, {@code <PST>} before it
         * @return this
         */
        public Builder template(String template) {
            return prompts(PromptSet.custom(template));
        }

        /**
         * @param prompts a prompt set
         * @return this
         */
        public Builder prompts(PromptSet prompts) {
            this.prompts = Objects.requireNonNull(prompts, "prompts");
            return this;
        }

        /**
         * @param promptName the named prompt of calls that name none: one of the model's prompts ({@code query},
         *     {@code document}, ...) or a prompt method of the paper; default the folder's {@code default_prompt_name},
         *     else the raw text (a trained embedder) or the preset's method (a base model)
         * @return this
         */
        public Builder promptName(String promptName) {
            this.promptName = promptName;
            return this;
        }

        /**
         * Matryoshka truncation: keep the first N components, as sentence-transformers' {@code truncate_dim}. The
         * result is not renormalised unless {@link #normalize(boolean)} asks (then after the cut); a folder's
         * Normalize module acts before it.
         *
         * @param dimensions the components kept, at most the model's output size; 0 (default) keeps all
         * @return this
         */
        public Builder dimensions(int dimensions) {
            this.dimensions = dimensions;
            return this;
        }

        /**
         * @param head the head to use instead of the folder's (or, for a base model, the last token)
         * @return this
         */
        public Builder head(EmbeddingHead head) {
            this.head = Objects.requireNonNull(head, "head");
            return this;
        }

        /**
         * @param pooling pooling instead of the head's ({@code MEAN} over a base model's prompt, say)
         * @return this
         */
        public Builder pooling(Pooling pooling) {
            this.pooling = Objects.requireNonNull(pooling, "pooling");
            return this;
        }

        /**
         * @param device {@code cpu} (default) or {@code cuda:N}
         * @return this
         */
        public Builder device(String device) {
            this.options = options.withDevice(device);
            return this;
        }

        /**
         * @param dtype compute dtype, or null for auto (the default: bfloat16 on a GPU, and on a CPU with native
         *     bfloat16 products when the weights are 16-bit; else float32)
         * @return this
         */
        public Builder dtype(DType dtype) {
            this.options = options.withDtype(dtype);
            return this;
        }

        /**
         * @param weightsDtype the dtype weight matrices stay in, converted to the compute dtype product by product
         *     (default: the compute dtype when it is 16-bit, else the checkpoint's own 16-bit dtype, else float32):
         *     {@code FLOAT16} or {@code BFLOAT16} halves the memory of float32 weights
         * @return this
         */
        public Builder weightsDtype(DType weightsDtype) {
            this.options = options.withWeightsDtype(weightsDtype);
            return this;
        }

        /**
         * Loads the layers this output layer needs as well, for {@link SentenceEncoder#variant variants} that read
         * there (a vanilla baseline at {@code -1} beside a TP encoder at 27). Otherwise only the layers up to the
         * encoder's own output layer are loaded.
         *
         * @param outputLayer another output layer
         * @return this
         */
        public Builder loadLayersFor(OutputLayer outputLayer) {
            alsoLoadFor.add(Objects.requireNonNull(outputLayer, "outputLayer"));
            return this;
        }

        /**
         * @param threads the engine's CPU threads, process-wide (default 0: the cores the JVM sees)
         * @return this
         */
        public Builder threads(int threads) {
            this.options = options.withThreads(threads);
            return this;
        }

        /**
         * @param placeholder the {@code <PST>} input vector (default zeros)
         * @return this
         */
        public Builder placeholder(PlaceholderInit placeholder) {
            this.options = options.withPlaceholder(placeholder);
            return this;
        }

        /**
         * @param batchSize most prompts per batch (default 32)
         * @return this
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param maxBatchTokens most padded tokens per batch (default 8192)
         * @return this
         */
        public Builder maxBatchTokens(int maxBatchTokens) {
            this.maxBatchTokens = maxBatchTokens;
            return this;
        }

        /**
         * @param maxTokens most tokens per prompt; longer sentences are truncated (default: the model's limit)
         * @return this
         */
        public Builder maxTokens(int maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * @param normalize L2-normalise embeddings (default false, as sentence-transformers)
         * @return this
         */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * @param prefixCache reuse the prompt's shared prefix (default true)
         * @return this
         */
        public Builder prefixCache(boolean prefixCache) {
            this.prefixCache = prefixCache;
            return this;
        }

        /** @param settings the settings being applied, reported by {@link SentenceEncoder#settings()} */
        void settings(EncoderSettings settings) {
            this.settings = settings;
        }

        /**
         * @param options how the model is loaded (device, dtype, placeholder, threads, weights dtype), instead of
         *     the defaults; {@link #device}, {@link #dtype}, ... change single values of it. The layers to load are
         *     chosen by {@link #build()}.
         * @return this
         */
        public Builder options(ModelOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** @return the load options set so far (device, dtype, placeholder, threads, weights dtype) */
        ModelOptions modelOptions() {
            return options;
        }

        /**
         * Resolves the model, loads it, and applies the settings.
         *
         * @return the encoder; close it
         * @throws UncheckedIOException if the model cannot be found, downloaded or read (the message names the
         *     file or id and the problem)
         * @throws IllegalArgumentException for inconsistent settings ({@link InvalidSettingException} for an
         *     output layer or a TP range outside the model)
         * @throws IllegalStateException if no engine on the class path can run the checkpoint
         */
        public SentenceEncoder build() {
            if (model == null && instance == null) {
                throw new IllegalStateException("model(...) is required: a local directory or a HuggingFace id");
            }
            Path dir = instance == null ? resolve() : null;
            LayerwiseModelProvider.Checkpoint checkpoint = instance == null ? open(chooseProvider(dir), dir) : null;
            int numLayers = instance == null ? checkpoint.numLayers() : instance.info().numLayers();
            Optional<EmbeddingHead> folderHead = instance == null ? checkpoint.embeddingHead() : Optional.empty();
            Optional<Preset> byId = model == null ? Optional.empty() : Presets.forModel(model);
            Preset chosen;
            if (preset != null) {
                chosen = preset;
            } else if (folderHead.isPresent()) {
                chosen = byId.filter(Preset::isEmbedder).orElseGet(Presets::sentenceTransformers);
            } else {
                chosen = byId.orElseGet(() -> Presets.defaultFor(numLayers));
            }
            TpConfig config;
            try {
                config = settings(chosen, folderHead.orElse(null));
                checkAgainstModel(config, chosen, numLayers);
            } catch (RuntimeException e) {
                if (instance != null) {
                    instance.close();
                }
                throw e;
            }
            LayerwiseModel loaded = instance == null
                    ? load(checkpoint, options.withLayers(layersToLoad(config, numLayers))) : instance;
            try {
                TokenPrependingEncoder encoder = new TokenPrependingEncoder(loaded, config);
                String id = model != null ? model : loaded.info().family();
                return new SentenceEncoder(loaded, encoder, chosen, dir, id, true, settings);
            } catch (RuntimeException e) {
                loaded.close();
                throw e;
            }
        }

        /**
         * The Token Prepending settings: the preset's (or {@link #config}'s), a trained embedder's head and default
         * prompt, then the single settings set here.
         */
        private TpConfig settings(Preset chosen, EmbeddingHead folderHead) {
            TpConfig.Builder c = tpConfig != null ? tpConfig.toBuilder() : chosen.applyTo(TpConfig.builder());
            EmbeddingHead h = head != null ? head : folderHead != null ? folderHead
                    : tpConfig != null ? tpConfig.head() : EmbeddingHead.lastToken();
            if (pooling != null) {
                h = h.withPooling(pooling);
            }
            c.head(h);
            if (tpConfig == null && chosen.isEmbedder()) {
                // a trained embedder reads its text as its tokenizer expects: the default prompt, no preprocessing
                String name = h.defaultPromptName();
                c.prompts(name == null ? PromptSet.prefix("raw", "") : PromptSet.prefix(name, h.prompt(name)));
                c.maxTokens(h.maxSeqLength());
            }
            if (promptName != null) {
                c.promptName(promptName);
            }
            if (dimensions != null) {
                c.dimensions(dimensions);
            }
            if (tp != null) {
                c.tp(tp.orElse(null));
                if (tp.isEmpty()) {
                    // the paper's vanilla baseline reads hidden_states[-1]; an explicit output layer still wins
                    c.outputLayer(OutputLayer.last());
                }
            }
            if (outputLayer != null) {
                c.outputLayer(outputLayer);
            }
            if (prompts != null) {
                c.prompts(prompts);
            }
            if (batchSize != null) {
                c.batchSize(batchSize);
            }
            if (maxBatchTokens != null) {
                c.maxBatchTokens(maxBatchTokens);
            }
            if (maxTokens != null) {
                c.maxTokens(maxTokens);
            }
            if (normalize != null) {
                c.normalize(normalize);
            }
            if (prefixCache != null) {
                c.prefixCache(prefixCache);
            }
            return c.build();
        }

        /**
         * Settings that are valid in themselves but not for this model fail naming the setting at fault. A range the
         * preset chose is left to the encoder's warning (the depth rule gives a 1-layer model TP before layer 1).
         */
        private static void checkAgainstModel(TpConfig settings, Preset chosen, int numLayers) {
            try {
                settings.outputLayer().layersToRun(numLayers);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException("outputLayer", e.getMessage(), e);
            }
            TpRange tp = settings.tp();
            if (tp != null && !tp.equals(chosen.tp()) && tp.start() >= numLayers) {
                throw new InvalidSettingException("tp", tp + " starts past the model's " + numLayers
                        + " decoder layers (START must be 0.." + (numLayers - 1) + ")", null);
            }
        }

        /** The decoder layers to load: up to the output layer (and those of {@link #loadLayersFor}), no further. */
        private int layersToLoad(TpConfig settings, int numLayers) {
            int layers = settings.outputLayer().layersToRun(numLayers);
            for (OutputLayer other : alsoLoadFor) {
                layers = Math.max(layers, other.layersToRun(numLayers));
            }
            return layers;
        }

        /**
         * The decoder layers a model must have loaded for these settings ({@link ModelOptions#layers()}), for
         * callers that load a model themselves and pass it to {@link #model(LayerwiseModel)}.
         *
         * @param numLayers the model's decoder layers L
         * @param presetIfUnset the preset when none was set ({@code Presets.defaultFor(L)} for an unknown model)
         * @return layers up to the output layer (and those of {@link #loadLayersFor})
         * @throws IllegalArgumentException for inconsistent settings or an output layer outside the model
         */
        public int layersToLoad(int numLayers, Preset presetIfUnset) {
            return layersToLoad(settings(preset != null ? preset : presetIfUnset, null), numLayers);
        }

        private static LayerwiseModelProvider.Checkpoint open(LayerwiseModelProvider engine, Path dir) {
            try {
                return engine.open(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }

        private Path resolve() {
            if (resolver != null) {
                return revision == null ? resolver.resolve(model) : resolver.resolve(model, revision);
            }
            ModelResolver.Builder b = ModelResolver.builder();
            if (offline) {
                b.offline(true);
            }
            if (revision != null) {
                b.revision(revision);
            }
            if (listener != null) {
                b.listener(listener);
            }
            try (ModelResolver r = b.build()) {
                return r.resolve(model);
            }
        }

        private static LayerwiseModel load(LayerwiseModelProvider.Checkpoint checkpoint, ModelOptions options) {
            try {
                return checkpoint.load(options);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        }

        private LayerwiseModelProvider chooseProvider(Path dir) {
            if (provider != null) {
                return provider;
            }
            List<LayerwiseModelProvider> providers = new ArrayList<>();
            ServiceLoader.load(LayerwiseModelProvider.class, SentenceEncoder.class.getClassLoader())
                    .forEach(providers::add);
            if (providers.isEmpty()) {
                throw new IllegalStateException("no engine on the class path: add io.github.tokenprepending:tp-djl"
                        + " and a DJL PyTorch native (see the README)");
            }
            if (providers.size() == 1) {
                return providers.get(0);
            }
            for (LayerwiseModelProvider p : providers) {
                if (p.supports(dir)) {
                    return p;
                }
            }
            throw new IllegalStateException("no engine on the class path supports " + dir + " (engines: "
                    + String.join(", ", providers.stream().map(LayerwiseModelProvider::name).toList()) + ")");
        }
    }
}
