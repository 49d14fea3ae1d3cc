package io.github.tokenprepending;

import io.github.tokenprepending.hub.DownloadListener;
import io.github.tokenprepending.hub.ModelResolver;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every user-facing encoder option as plain values, and the one place where they are mapped onto
 * {@link SentenceEncoder.Builder}. The command line, the HTTP server, Spring properties and Spark parameters all
 * fill one of these and call {@link #open()}; none of them maps options by itself.
 *
 * <p>Every component is optional (null: the model's preset or the library's default), spelled as text or numbers
 * so that any configuration system binds it. Serializable, so Spark can ship it to executors. Validation happens
 * in {@link #validate()} (also called by {@link #open()}), before any model is loaded; a bad value throws an
 * {@link InvalidSettingException} naming the component.
 *
 * @param model a HuggingFace id or a local checkpoint directory (required by {@link #open()})
 * @param revision a Hub branch, tag or commit (default {@code main})
 * @param offline never contact the Hub (default: {@code HF_HUB_OFFLINE})
 * @param preset a preset name of {@link Presets} or {@code default} (default: chosen from the model id)
 * @param tp Token Prepending range as {@code [start, exit]}: layers start..exit-1 (default: the preset's)
 * @param vanilla no Token Prepending; read at {@code hidden_states[-1]} unless {@code outputLayer} says otherwise
 * @param outputLayer a {@code hidden_states} index ({@code 27}, {@code -1}, {@code -2}) or {@code after:K}
 * @param prompt a method name ({@code prompteol}, {@code cot}, {@code ke}, {@code metaeol}) or a template with
 *     {@code {sentence}} and, for Token Prepending, {@code <PST>} before it
 * @param placeholder the {@code <PST>} input vector: {@code zeros}, {@code gaussian[:SEED]}, {@code token:ID} or
 *     {@code checkpoint}
 * @param device {@code cpu} or {@code cuda:N}
 * @param dtype compute dtype: {@code auto} (the default: bf16 on a GPU, and on a CPU with native bf16 products when
 *     the weights are 16-bit; else fp32), {@code fp32}, {@code fp16} or {@code bf16}
 * @param batchSize most prompts per batch
 * @param maxBatchTokens most padded tokens per batch
 * @param maxTokens most tokens per prompt; longer sentences are cut, the template kept
 * @param normalize L2-normalise embeddings
 * @param prefixCache reuse the prompt's shared prefix across batches
 * @param threads CPU threads of the engine (process-wide; default: the cores the JVM sees)
 * @param weightsDtype dtype the weight matrices stay in: {@code fp32}, {@code fp16}, {@code bf16} or {@code int8}
 *     (per-output-channel int8 through libtorch's int8 kernels, CPU, fp32 compute) (default: the compute dtype when
 *     16-bit, else the checkpoint's own 16-bit dtype, else fp32)
 */
public record EncoderSettings(
        String model,
        String revision,
        Boolean offline,
        String preset,
        List<Integer> tp,
        Boolean vanilla,
        String outputLayer,
        String prompt,
        String placeholder,
        String device,
        String dtype,
        Integer batchSize,
        Integer maxBatchTokens,
        Integer maxTokens,
        Boolean normalize,
        Boolean prefixCache,
        Integer threads,
        String weightsDtype) implements Serializable {

    /** The settings' names, in declaration order. */
    public static final List<String> NAMES = Arrays.stream(EncoderSettings.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).toList();

    /** Copies the TP range (so the record stays immutable and serializable). */
    public EncoderSettings {
        tp = tp == null ? null : Collections.unmodifiableList(new ArrayList<>(tp));
    }

    /** @return a builder with every setting unset */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        return new Builder(this);
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
     * Resolves the model (local directory, HF cache, else a download) and loads it with these settings.
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
        if (model == null || model.isBlank()) {
            throw new InvalidSettingException("model", "is required: a HuggingFace id or a local checkpoint"
                    + " directory", null);
        }
        SentenceEncoder.Builder b = applyTo(SentenceEncoder.builder()).model(model);
        ModelResolver.Builder resolver = ModelResolver.builder();
        if (downloads != null) {
            resolver.listener(downloads);
        }
        if (Boolean.TRUE.equals(offline)) {
            resolver.offline(true);
        }
        if (revision != null) {
            resolver.revision(revision);
        }
        more.accept(b);
        try (ModelResolver r = resolver.build()) {
            return b.resolver(r).build();
        }
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
        ModelOptions options = ModelOptions.defaults();
        if (device != null) {
            options = options.withDevice(device);
        }
        if (dtype != null && !dtype.trim().equalsIgnoreCase("auto")) {
            options = options.withDtype(parse("dtype", dtype, DType::parse));
        }
        if (placeholder != null) {
            options = options.withPlaceholder(parse("placeholder", placeholder, PlaceholderInit::parse));
        }
        if (threads != null) {
            if (threads < 1) {
                throw new InvalidSettingException("threads", "must be at least 1, got " + threads, null);
            }
            options = options.withThreads(threads);
        }
        if (weightsDtype != null) {
            options = options.withWeightsDtype(parse("weightsDtype", weightsDtype, DType::parse));
        }
        return options;
    }

    /**
     * Applies every setting but the model and where it comes from (the one mapping of options to the builder).
     *
     * @param b the builder
     * @return {@code b}
     * @throws InvalidSettingException naming the first bad setting
     */
    public SentenceEncoder.Builder applyTo(SentenceEncoder.Builder b) {
        ModelOptions options = modelOptions();
        b.device(options.device()).dtype(options.dtype()).placeholder(options.placeholder())
                .threads(options.threads()).weightsDtype(options.weightsDtype());
        if (preset != null) {
            Preset chosen = parse("preset", preset,
                    name -> name.equalsIgnoreCase("default") ? null : Presets.byName(name));
            b.preset(chosen);
        }
        boolean plain = Boolean.TRUE.equals(vanilla);
        if (plain && tp != null) {
            throw new InvalidSettingException("vanilla", "excludes a Token Prepending range (tp " + tp + ")", null);
        }
        if (prompt != null) {
            b.prompts(prompts(prompt, !plain));
        }
        if (plain) {
            b.vanilla();
        }
        if (tp != null) {
            if (tp.size() != 2 || tp.contains(null)) {
                throw new InvalidSettingException("tp", "takes START EXIT, two numbers, got " + tp, null);
            }
            b.tp(parse("tp", tp, r -> new TpRange(r.get(0), r.get(1))));
        }
        if (outputLayer != null) {
            b.outputLayer(parse("outputLayer", outputLayer, OutputLayer::parse));
        }
        if (batchSize != null) {
            b.batchSize(atLeast("batchSize", batchSize, 1));
        }
        if (maxBatchTokens != null) {
            b.maxBatchTokens(atLeast("maxBatchTokens", maxBatchTokens, 1));
        }
        if (maxTokens != null) {
            b.maxTokens(atLeast("maxTokens", maxTokens, 1));
        }
        if (normalize != null) {
            b.normalize(normalize);
        }
        if (prefixCache != null) {
            b.prefixCache(prefixCache);
        }
        return b;
    }

    /**
     * @return the settings that are set, by component name, for reports and {@code /info}-style endpoints
     */
    public Map<String, Object> asMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        put(out, "model", model);
        put(out, "revision", revision);
        put(out, "offline", offline);
        put(out, "preset", preset);
        put(out, "tp", tp);
        put(out, "vanilla", vanilla);
        put(out, "outputLayer", outputLayer);
        put(out, "prompt", prompt);
        put(out, "placeholder", placeholder);
        put(out, "device", device);
        put(out, "dtype", dtype);
        put(out, "batchSize", batchSize);
        put(out, "maxBatchTokens", maxBatchTokens);
        put(out, "maxTokens", maxTokens);
        put(out, "normalize", normalize);
        put(out, "prefixCache", prefixCache);
        put(out, "threads", threads);
        put(out, "weightsDtype", weightsDtype);
        return out;
    }

    /**
     * Reads settings from text values keyed by component name, in camel case ({@code maxBatchTokens}) or kebab case
     * ({@code max-batch-tokens}), as job arguments, ML parameters and property files give them; {@code tp} is
     * {@code "START EXIT"} or {@code "START,EXIT"}. The inverse of {@link #toTextMap()}.
     *
     * @param values text values; null or blank values count as unset
     * @return the settings (not yet validated)
     * @throws InvalidSettingException for an unknown key (naming it and the known ones) or a malformed number or
     *     boolean
     */
    public static EncoderSettings fromTextMap(Map<String, String> values) {
        Builder b = builder();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = camel(e.getKey().trim());
            String v = e.getValue() == null || e.getValue().isBlank() ? null : e.getValue().trim();
            switch (key) {
                case "model" -> b.model(v);
                case "revision" -> b.revision(v);
                case "offline" -> b.offline(bool(key, v));
                case "preset" -> b.preset(v);
                case "tp" -> b.tp(v == null ? null : Arrays.stream(v.split("[\\s,]+"))
                        .map(n -> integer(key, n)).toList());
                case "vanilla" -> b.vanilla(bool(key, v));
                case "outputLayer" -> b.outputLayer(v);
                case "prompt" -> b.prompt(v);
                case "placeholder" -> b.placeholder(v);
                case "device" -> b.device(v);
                case "dtype" -> b.dtype(v);
                case "batchSize" -> b.batchSize(integer(key, v));
                case "maxBatchTokens" -> b.maxBatchTokens(integer(key, v));
                case "maxTokens" -> b.maxTokens(integer(key, v));
                case "normalize" -> b.normalize(bool(key, v));
                case "prefixCache" -> b.prefixCache(bool(key, v));
                case "threads" -> b.threads(integer(key, v));
                case "weightsDtype" -> b.weightsDtype(v);
                default -> throw new InvalidSettingException(e.getKey(), "is not an encoder setting (known: "
                        + String.join(", ", NAMES) + ")", null);
            }
        }
        return b.build();
    }

    /**
     * @return the settings that are set, as text keyed by component name; {@link #fromTextMap} reads it back
     */
    public Map<String, String> toTextMap() {
        Map<String, String> out = new LinkedHashMap<>();
        asMap().forEach((k, v) -> out.put(k, k.equals("tp") ? tp.get(0) + "," + tp.get(1) : String.valueOf(v)));
        return out;
    }

    private static String camel(String key) {
        StringBuilder s = new StringBuilder();
        boolean up = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '_' || c == '.') {
                up = true;
            } else {
                s.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return s.toString();
    }

    private static Integer integer(String key, String v) {
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "expects a whole number, got '" + v + "'", e);
        }
    }

    private static Boolean bool(String key, String v) {
        if (v == null) {
            return null;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.valueOf(v);
        }
        throw new InvalidSettingException(key, "expects true or false, got '" + v + "'", null);
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

    private static void put(Map<String, Object> out, String name, Object value) {
        if (value != null) {
            out.put(name, value);
        }
    }

    private static int atLeast(String setting, int value, int min) {
        if (value < min) {
            throw new InvalidSettingException(setting, "must be at least " + min + ", got " + value, null);
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

    /** Builds {@link EncoderSettings}; every setter takes null for "unset". */
    public static final class Builder {
        private String model;
        private String revision;
        private Boolean offline;
        private String preset;
        private List<Integer> tp;
        private Boolean vanilla;
        private String outputLayer;
        private String prompt;
        private String placeholder;
        private String device;
        private String dtype;
        private Integer batchSize;
        private Integer maxBatchTokens;
        private Integer maxTokens;
        private Boolean normalize;
        private Boolean prefixCache;
        private Integer threads;
        private String weightsDtype;

        private Builder() {
        }

        private Builder(EncoderSettings s) {
            model = s.model;
            revision = s.revision;
            offline = s.offline;
            preset = s.preset;
            tp = s.tp;
            vanilla = s.vanilla;
            outputLayer = s.outputLayer;
            prompt = s.prompt;
            placeholder = s.placeholder;
            device = s.device;
            dtype = s.dtype;
            batchSize = s.batchSize;
            maxBatchTokens = s.maxBatchTokens;
            maxTokens = s.maxTokens;
            normalize = s.normalize;
            prefixCache = s.prefixCache;
            threads = s.threads;
            weightsDtype = s.weightsDtype;
        }

        /**
         * @param model a HuggingFace id or local directory
         * @return this
         */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /**
         * @param revision a Hub branch, tag or commit
         * @return this
         */
        public Builder revision(String revision) {
            this.revision = revision;
            return this;
        }

        /**
         * @param offline never contact the Hub
         * @return this
         */
        public Builder offline(Boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * @param preset a preset name or {@code default}
         * @return this
         */
        public Builder preset(String preset) {
            this.preset = preset;
            return this;
        }

        /**
         * @param start first layer with TP
         * @param exit first layer without
         * @return this
         */
        public Builder tp(int start, int exit) {
            return tp(List.of(start, exit));
        }

        /**
         * @param tp {@code [start, exit]}, or null
         * @return this
         */
        public Builder tp(List<Integer> tp) {
            this.tp = tp;
            return this;
        }

        /**
         * @param vanilla embed without Token Prepending
         * @return this
         */
        public Builder vanilla(Boolean vanilla) {
            this.vanilla = vanilla;
            return this;
        }

        /**
         * @param outputLayer a {@code hidden_states} index or {@code after:K}
         * @return this
         */
        public Builder outputLayer(String outputLayer) {
            this.outputLayer = outputLayer;
            return this;
        }

        /**
         * @param prompt a method name or a template
         * @return this
         */
        public Builder prompt(String prompt) {
            this.prompt = prompt;
            return this;
        }

        /**
         * @param placeholder the {@code <PST>} input vector
         * @return this
         */
        public Builder placeholder(String placeholder) {
            this.placeholder = placeholder;
            return this;
        }

        /**
         * @param device {@code cpu} or {@code cuda:N}
         * @return this
         */
        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /**
         * @param dtype {@code auto}, {@code fp32}, {@code fp16} or {@code bf16}
         * @return this
         */
        public Builder dtype(String dtype) {
            this.dtype = dtype;
            return this;
        }

        /**
         * @param batchSize most prompts per batch
         * @return this
         */
        public Builder batchSize(Integer batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /**
         * @param maxBatchTokens most padded tokens per batch
         * @return this
         */
        public Builder maxBatchTokens(Integer maxBatchTokens) {
            this.maxBatchTokens = maxBatchTokens;
            return this;
        }

        /**
         * @param maxTokens most tokens per prompt
         * @return this
         */
        public Builder maxTokens(Integer maxTokens) {
            this.maxTokens = maxTokens;
            return this;
        }

        /**
         * @param normalize L2-normalise embeddings
         * @return this
         */
        public Builder normalize(Boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /**
         * @param prefixCache reuse the prompt's shared prefix
         * @return this
         */
        public Builder prefixCache(Boolean prefixCache) {
            this.prefixCache = prefixCache;
            return this;
        }

        /**
         * @param threads CPU threads of the engine
         * @return this
         */
        public Builder threads(Integer threads) {
            this.threads = threads;
            return this;
        }

        /**
         * @param weightsDtype {@code fp32}, {@code fp16}, {@code bf16} or {@code int8}
         * @return this
         */
        public Builder weightsDtype(String weightsDtype) {
            this.weightsDtype = weightsDtype;
            return this;
        }

        /** @return the settings (not yet validated: see {@link EncoderSettings#validate()}) */
        public EncoderSettings build() {
            return new EncoderSettings(model, revision, offline, preset, tp, vanilla, outputLayer, prompt,
                    placeholder, device, dtype, batchSize, maxBatchTokens, maxTokens, normalize, prefixCache,
                    threads, weightsDtype);
        }
    }
}
