package io.github.tokenprepending;

import io.github.tokenprepending.hub.DownloadListener;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every user-facing encoder setting, each declared once below as a {@link Setting} (name, kind, default, help, how
 * it applies to {@link SentenceEncoder.Builder}), and a set of values for them. The command line, the HTTP server,
 * Spring properties and Spark parameters all derive their options from {@link #ALL}, fill one of these and call
 * {@link #open()}; none of them maps options by itself.
 *
 * <p>Every setting is optional (unset: the model's preset or the library's default). Serializable, so Spark can
 * ship it to executors. Validation happens in {@link #validate()} (also called by {@link #open()}), before any
 * model is loaded; a bad value throws an {@link InvalidSettingException} naming the setting.
 *
 * <p>Adding a setting: declare it here and add it to {@link #ALL}; use it in the engine through its applier.
 */
public final class EncoderSettings implements Serializable {
    private static final long serialVersionUID = 2L;

    /** A HuggingFace id, a local checkpoint directory or a bundled model's name; required by {@link #open()}. */
    public static final Setting<String> MODEL = Setting.text("model", "ID|DIR",
            "HuggingFace model id (looked up in the HF cache, else downloaded), local checkpoint directory, or "
                    + io.github.tokenprepending.hub.BundledModels.DEMO + " for the bundled demo model",
            "required", "org/model", (b, v, all) -> b.model(v));
    /** A Hub branch, tag or commit. */
    public static final Setting<String> REVISION = Setting.text("revision", "REV", "Hub branch, tag or commit",
            "main", "v1.0", (b, v, all) -> b.revision(v));
    /** Never contact the Hub. */
    public static final Setting<Boolean> OFFLINE = Setting.flag("offline",
            "never contact the Hub (also HF_HUB_OFFLINE=1)", false, (b, v, all) -> b.offline(v));
    /** A preset of {@link Presets} or {@code default}. */
    public static final Setting<String> PRESET = Setting.text("preset", "NAME",
            "the paper's settings for llama-2-7b, llama-2-13b, llama-3-8b, qwen2-7b or gemma2-9b; qwen3-0.6b .."
                    + " qwen3-32b (depth rule); or default",
            "chosen from the model id", "llama-2-7b", (b, v, all) -> b.preset(v));
    /** The Token Prepending range {@code [start, exit]}: layers start..exit-1. */
    public static final Setting<List<Integer>> TP = Setting.pair("tp", "START EXIT",
            "Token Prepending at the inputs of decoder layers START to EXIT-1, counted from 0", "from the preset",
            "1 7", (b, v, all) -> {
                if (v.size() != 2 || v.stream().anyMatch(java.util.Objects::isNull)) {
                    throw new IllegalArgumentException("takes START EXIT, two numbers, got " + v);
                }
                b.tp(new TpRange(v.get(0), v.get(1)));
            });
    /** No Token Prepending. */
    public static final Setting<Boolean> VANILLA = Setting.flag("vanilla",
            "no Token Prepending: the plain prompt, read at hidden_states[-1] unless the output layer says otherwise",
            false, (b, v, all) -> {
                if (v && all.get(EncoderSettings.TP) != null) {
                    throw new IllegalArgumentException("excludes a Token Prepending range (tp "
                            + all.get(EncoderSettings.TP) + ")");
                }
                if (v) {
                    b.vanilla();
                }
            });
    /** Where embeddings are read. */
    public static final Setting<String> OUTPUT_LAYER = Setting.text("outputLayer", "K",
            "where embeddings are read: a hidden_states index as in the paper (27, -1, -2) or after:K for the output"
                    + " of layer K",
            "from the preset", "-2", (b, v, all) -> b.outputLayer(OutputLayer.parse(v)));
    /** A prompt method or a template. */
    public static final Setting<String> PROMPT = Setting.text("prompt", "METHOD|TEMPLATE",
            "prompteol, cot, ke or metaeol, or a template with {sentence} where the sentence goes and <PST> before"
                    + " it, e.g. 'This sentence: <PST> \"{sentence}\" means in one word:\"'",
            "from the preset", "cot",
            (b, v, all) -> b.prompts(prompts(v, !Boolean.TRUE.equals(all.get(EncoderSettings.VANILLA)))));
    /** A named prompt: a trained embedder's ({@code query}, {@code document}, ...) or a method of the paper. */
    public static final Setting<String> PROMPT_NAME = Setting.text("promptName", "NAME",
            "a named prompt: one of a trained embedder's prompts (its folder's config_sentence_transformers.json:"
                    + " query, document, ...) or a method of the paper (prompteol, cot, ke, metaeol)",
            "the folder's default_prompt_name, else the raw text (a trained embedder) or --prompt", "query",
            (b, v, all) -> b.promptName(v));
    /** Matryoshka truncation. */
    public static final Setting<Integer> DIMENSIONS = Setting.number("dimensions",
            "keep the first N components of every embedding (Matryoshka, as sentence-transformers' truncate_dim:"
                    + " renormalised only with --normalize)", "all", "256",
            (b, v, all) -> b.dimensions(atLeast(v, 1)));
    /** The {@code <PST>} input vector. */
    public static final Setting<String> PLACEHOLDER = Setting.text("placeholder", "INIT",
            "<PST> input vector: zeros, gaussian, gaussian:SEED, token:ID or checkpoint", "zeros", "gaussian:7",
            (b, v, all) -> b.placeholder(PlaceholderInit.parse(v)));
    /** Normalise embeddings. */
    public static final Setting<Boolean> NORMALIZE = Setting.flag("normalize", "L2-normalise embeddings", false,
            (b, v, all) -> b.normalize(v));
    /** The device. */
    public static final Setting<String> DEVICE = Setting.text("device", "DEV",
            "cpu or cuda:N (needs libtorch 2.7.1 for CUDA 12.8 through PYTORCH_LIBRARY_PATH: the bundled one is for"
                    + " CPUs, see docs/gpu.md)",
            "cpu", "cuda:1", (b, v, all) -> b.device(v));
    /** The compute dtype. */
    public static final Setting<String> DTYPE = Setting.text("dtype", "T", "compute dtype: auto, fp32, fp16 or bf16",
            "auto: bf16 on a GPU, and on a CPU with native bf16 products (AVX512-BF16, AMX-BF16) when the weights are"
                    + " 16-bit; else fp32", "bf16",
            (b, v, all) -> b.dtype(v.trim().equalsIgnoreCase("auto") ? null : DType.parse(v)));
    /** Most prompts per batch. */
    public static final Setting<Integer> BATCH_SIZE = Setting.number("batchSize", "most prompts per batch", "32",
            "8", (b, v, all) -> b.batchSize(atLeast(v, 1)));
    /** Most padded tokens per batch. */
    public static final Setting<Integer> MAX_BATCH_TOKENS = Setting.number("maxBatchTokens",
            "most padded tokens per batch", "8192", "512", (b, v, all) -> b.maxBatchTokens(atLeast(v, 1)));
    /** Most tokens per prompt. */
    public static final Setting<Integer> MAX_TOKENS = Setting.number("maxTokens",
            "most tokens per prompt; longer sentences are cut, the template kept", "the model's limit", "40",
            (b, v, all) -> b.maxTokens(atLeast(v, 1)));
    /** Reuse the prompt's shared prefix. */
    public static final Setting<Boolean> PREFIX_CACHE = Setting.flag("prefixCache",
            "reuse the prompt's shared prefix across batches instead of recomputing it in every batch", true,
            (b, v, all) -> b.prefixCache(v));
    /** CPU threads of the engine. */
    public static final Setting<Integer> THREADS = Setting.number("threads",
            "CPU threads of libtorch, process-wide", "the cores the JVM sees", "2",
            (b, v, all) -> b.threads(atLeast(v, 1)));
    /** The dtype the weight matrices stay in. */
    public static final Setting<String> WEIGHTS_DTYPE = Setting.text("weightsDtype", "T",
            "dtype the weight matrices stay in: fp32, fp16 or bf16, converted to the compute dtype per product; or int8"
                    + " (per-output-channel, through libtorch's int8 kernels; CPU, fp32 compute)",
            "the compute dtype when 16-bit, else the checkpoint's own 16-bit dtype, else fp32", "fp16",
            (b, v, all) -> b.weightsDtype(DType.parse(v)));

    /** Every setting, in the order front ends list them. */
    public static final List<Setting<?>> ALL = List.of(MODEL, REVISION, OFFLINE, PRESET, TP, VANILLA, OUTPUT_LAYER,
            PROMPT, PROMPT_NAME, PLACEHOLDER, NORMALIZE, DIMENSIONS, DEVICE, DTYPE, BATCH_SIZE, MAX_BATCH_TOKENS,
            MAX_TOKENS, PREFIX_CACHE, THREADS, WEIGHTS_DTYPE);

    /** The settings' names in camel case, in the order of {@link #ALL}. */
    public static final List<String> NAMES = ALL.stream().map(Setting::name).toList();

    /** The values that are set, by setting name, in the order of {@link #ALL}. */
    private final LinkedHashMap<String, Object> values;

    private EncoderSettings(Map<String, Object> set) {
        LinkedHashMap<String, Object> ordered = new LinkedHashMap<>();
        for (Setting<?> s : ALL) {
            Object v = set.get(s.name());
            if (v != null) {
                ordered.put(s.name(), v);
            }
        }
        this.values = ordered;
    }

    /** @return a builder with every setting unset */
    public static Builder builder() {
        return new Builder(Map.of());
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder(values);
    }

    /**
     * @param setting a setting
     * @param <T> its type
     * @return its value, or null when unset
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting.name());
    }

    /** @return the model setting, or null */
    public String model() {
        return get(MODEL);
    }

    /**
     * @param name a setting's name in camel or kebab case, any letter case ({@code maxBatchTokens},
     *     {@code max-batch-tokens}, {@code MAXBATCHTOKENS} as an environment variable gives it)
     * @return the setting
     * @throws InvalidSettingException for an unknown name, naming it and the known ones
     */
    public static Setting<?> byName(String name) {
        String key = Setting.canonical(name.trim());
        for (Setting<?> s : ALL) {
            if (Setting.canonical(s.name()).equals(key)) {
                return s;
            }
        }
        throw new InvalidSettingException(name, "is not an encoder setting (known: " + String.join(", ", NAMES)
                + ")", null);
    }

    /**
     * Checks every setting without loading anything.
     *
     * @return this
     * @throws InvalidSettingException naming the first bad setting
     */
    public EncoderSettings validate() {
        applyTo(SentenceEncoder.builder());
        return this;
    }

    /**
     * Resolves the model (a bundled model's name, a local directory, the HF cache, else a download) and loads it
     * with these settings.
     *
     * @return the encoder; close it
     * @throws InvalidSettingException for a bad or missing setting, before anything is loaded
     * @throws java.io.UncheckedIOException if the model cannot be found, downloaded or read
     */
    public SentenceEncoder open() {
        return open((DownloadListener) null);
    }

    /**
     * Like {@link #open()}, telling {@code downloads} about downloads.
     *
     * @param downloads told about downloads, or null to log them
     * @return the encoder; close it
     */
    public SentenceEncoder open(DownloadListener downloads) {
        return open(downloads, b -> { });
    }

    /**
     * Like {@link #open(DownloadListener)}, with builder calls that are no setting, such as
     * {@link SentenceEncoder.Builder#loadLayersFor} for a variant that reads a later layer.
     *
     * @param downloads told about downloads, or null to log them
     * @param more further builder calls, applied after the settings
     * @return the encoder; close it
     */
    public SentenceEncoder open(DownloadListener downloads, Consumer<SentenceEncoder.Builder> more) {
        if (model() == null || model().isBlank()) {
            throw new InvalidSettingException(MODEL.name(), "is required: a HuggingFace id, a local checkpoint"
                    + " directory or " + io.github.tokenprepending.hub.BundledModels.DEMO, null);
        }
        SentenceEncoder.Builder b = applyTo(SentenceEncoder.builder());
        if (downloads != null) {
            b.downloadListener(downloads);
        }
        more.accept(b);
        return b.build();
    }

    /**
     * Builds an encoder over a model that is already loaded (a benchmark's synthetic model, say) with these
     * settings; {@code model}, {@code revision}, {@code offline} and the load options do not apply.
     *
     * @param loaded the model, owned by the encoder from now on (closed here if the settings are bad)
     * @return the encoder; close it
     */
    public SentenceEncoder open(LayerwiseModel loaded) {
        SentenceEncoder.Builder b;
        try {
            b = applyTo(SentenceEncoder.builder());
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
        return b.model(loaded).build();
    }

    /**
     * @return device, dtype, weights dtype, placeholder vector and threads as these settings say
     * @throws InvalidSettingException for a malformed value
     */
    public ModelOptions modelOptions() {
        return applyTo(SentenceEncoder.builder()).modelOptions();
    }

    /**
     * Applies every setting that is set to {@code b}, each through its declaration (the one mapping of settings to
     * the builder).
     *
     * @param b the builder
     * @return {@code b}
     * @throws InvalidSettingException naming the first bad setting
     */
    public SentenceEncoder.Builder applyTo(SentenceEncoder.Builder b) {
        b.settings(this);
        for (Setting<?> s : ALL) {
            Object v = values.get(s.name());
            if (v != null) {
                s.applyTo(b, v, this);
            }
        }
        return b;
    }

    /**
     * @return the settings that are set, by name in camel case, for reports and {@code /info}-style endpoints
     */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * Reads settings from text values keyed by setting name, in camel case ({@code maxBatchTokens}) or kebab case
     * ({@code max-batch-tokens}), as job arguments, ML parameters and property files give them; {@code tp} is
     * {@code "START EXIT"} or {@code "START,EXIT"}. The inverse of {@link #toTextMap()}.
     *
     * @param text text values; null or blank values count as unset
     * @return the settings (not yet validated)
     * @throws InvalidSettingException for an unknown key (naming it and the known ones) or a malformed number or
     *     boolean
     */
    public static EncoderSettings fromTextMap(Map<String, String> text) {
        Builder b = builder();
        for (Map.Entry<String, String> e : text.entrySet()) {
            Setting<?> s = byName(e.getKey());
            b.values.put(s.name(), s.parse(e.getValue()));
        }
        return b.build();
    }

    /**
     * @return the settings that are set, as text keyed by name in camel case; {@link #fromTextMap} reads it back
     */
    public Map<String, String> toTextMap() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, byName(k).format(v)));
        return out;
    }

    /**
     * Parses a prompt option: a method name of {@link PromptMethod}, or a template with {@code {sentence}}.
     *
     * @param prompt the option's text
     * @param tokenPrepending whether the template must hold {@code <PST>}
     * @return the prompt set
     * @throws InvalidSettingException naming {@code prompt}
     */
    public static PromptSet prompts(String prompt, boolean tokenPrepending) {
        if (prompt.contains(PromptTemplate.SENTENCE) || prompt.contains(PromptTemplate.OFFICIAL_SENTENCE)) {
            PromptSet custom = parse("prompt", prompt, PromptSet::custom);
            if (tokenPrepending) {
                try {
                    custom.requirePlaceholders();
                } catch (IllegalArgumentException e) {
                    throw new InvalidSettingException("prompt", e.getMessage() + " (add " + RenderedPrompt.PLACEHOLDER
                            + " before the sentence, or embed without Token Prepending)", e);
                }
            }
            return custom;
        }
        if (prompt.isBlank() || prompt.matches("[\\w-]+")) {
            return PromptSet.of(parse("prompt", prompt, PromptMethod::parse));
        }
        throw new InvalidSettingException("prompt", "a template needs " + PromptTemplate.SENTENCE + " where the"
                + " sentence goes (e.g. 'This sentence : " + RenderedPrompt.PLACEHOLDER + " \"" + PromptTemplate.SENTENCE
                + "\" means in one word:\"'), got: " + prompt, null);
    }

    private static int atLeast(int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException("must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static <T, R> R parse(String setting, T text, java.util.function.Function<T, R> parser) {
        try {
            return parser.apply(text);
        } catch (InvalidSettingException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException(setting, e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncoderSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "EncoderSettings" + values;
    }

    /**
     * Builds {@link EncoderSettings}: {@link #set} takes any setting; the named methods are shortcuts for the
     * common ones. Every setter takes null for "unset".
     */
    public static final class Builder {
        private final Map<String, Object> values;

        private Builder(Map<String, Object> values) {
            this.values = new LinkedHashMap<>(values);
        }

        /**
         * @param setting a setting of {@link EncoderSettings#ALL}
         * @param value its value, or null to unset it
         * @param <T> its type
         * @return this
         */
        public <T> Builder set(Setting<T> setting, T value) {
            values.put(setting.name(), setting.coerce(value));
            return this;
        }

        /**
         * @param setting a setting
         * @param text its value as text (null or blank: unset)
         * @return this
         * @throws InvalidSettingException for a malformed value
         */
        public Builder setText(Setting<?> setting, String text) {
            values.put(setting.name(), setting.parse(text));
            return this;
        }

        /** @param model a HuggingFace id, a local directory or a bundled model's name @return this */
        public Builder model(String model) {
            return set(MODEL, model);
        }

        /** @param revision a Hub branch, tag or commit @return this */
        public Builder revision(String revision) {
            return set(REVISION, revision);
        }

        /** @param offline never contact the Hub @return this */
        public Builder offline(Boolean offline) {
            return set(OFFLINE, offline);
        }

        /** @param preset a preset name or {@code default} @return this */
        public Builder preset(String preset) {
            return set(PRESET, preset);
        }

        /**
         * @param start first layer with TP
         * @param exit first layer without
         * @return this
         */
        public Builder tp(int start, int exit) {
            return tp(List.of(start, exit));
        }

        /** @param tp {@code [start, exit]}, or null @return this */
        public Builder tp(List<Integer> tp) {
            return set(TP, tp);
        }

        /** @param vanilla embed without Token Prepending @return this */
        public Builder vanilla(Boolean vanilla) {
            return set(VANILLA, vanilla);
        }

        /** @param outputLayer a {@code hidden_states} index or {@code after:K} @return this */
        public Builder outputLayer(String outputLayer) {
            return set(OUTPUT_LAYER, outputLayer);
        }

        /** @param prompt a method name or a template @return this */
        public Builder prompt(String prompt) {
            return set(PROMPT, prompt);
        }

        /** @param placeholder the {@code <PST>} input vector @return this */
        public Builder placeholder(String placeholder) {
            return set(PLACEHOLDER, placeholder);
        }

        /** @param device {@code cpu} or {@code cuda:N} @return this */
        public Builder device(String device) {
            return set(DEVICE, device);
        }

        /** @param dtype {@code auto}, {@code fp32}, {@code fp16} or {@code bf16} @return this */
        public Builder dtype(String dtype) {
            return set(DTYPE, dtype);
        }

        /** @param batchSize most prompts per batch @return this */
        public Builder batchSize(Integer batchSize) {
            return set(BATCH_SIZE, batchSize);
        }

        /** @param maxBatchTokens most padded tokens per batch @return this */
        public Builder maxBatchTokens(Integer maxBatchTokens) {
            return set(MAX_BATCH_TOKENS, maxBatchTokens);
        }

        /** @param maxTokens most tokens per prompt @return this */
        public Builder maxTokens(Integer maxTokens) {
            return set(MAX_TOKENS, maxTokens);
        }

        /** @param normalize L2-normalise embeddings @return this */
        public Builder normalize(Boolean normalize) {
            return set(NORMALIZE, normalize);
        }

        /** @param prefixCache reuse the prompt's shared prefix @return this */
        public Builder prefixCache(Boolean prefixCache) {
            return set(PREFIX_CACHE, prefixCache);
        }

        /** @param threads CPU threads of the engine @return this */
        public Builder threads(Integer threads) {
            return set(THREADS, threads);
        }

        /** @param weightsDtype {@code fp32}, {@code fp16}, {@code bf16} or {@code int8} @return this */
        public Builder weightsDtype(String weightsDtype) {
            return set(WEIGHTS_DTYPE, weightsDtype);
        }

        /** @return the settings (not yet validated: see {@link EncoderSettings#validate()}) */
        public EncoderSettings build() {
            return new EncoderSettings(values);
        }
    }
}
