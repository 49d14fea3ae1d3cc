package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.Setting;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Transformer} that appends Token Prepending embeddings of {@code inputCol} as {@code outputCol}
 * ({@code array<float>}, default {@code embedding}); usable in a {@link org.apache.spark.ml.Pipeline} and saved and
 * loaded with it.
 *
 * <pre>{@code
 * TpEmbedder embedder = new TpEmbedder().setInputCol("text")
 *         .setEncoderSettings(EncoderSettings.builder().model("meta-llama/Llama-2-7b-hf").build());
 * Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {embedder, ...});
 * }</pre>
 *
 * <p>Every setting of {@link EncoderSettings#ALL} is also a typed parameter of its own, named as the setting
 * ({@code tp} an {@link IntArrayParam}, {@code outputLayer} and {@code prompt} string parameters,
 * {@code batchSize} an {@link IntParam}, {@code normalize} a {@link BooleanParam}, ...), so that a
 * {@link org.apache.spark.ml.tuning.ParamGridBuilder} can sweep it; {@link #settingParam} finds one by its
 * declaration. A setting set on its own parameter wins over the same setting in {@code encoderSettings}, the map of
 * setting names (camel or kebab case) to text that {@link #setEncoderSettings} fills. No model means the bundled toy
 * model.
 */
public final class TpEmbedder extends Transformer implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final BooleanParam skipEmpty;
    private final SettingsParam encoderSettings;
    /** One typed parameter per setting of {@link EncoderSettings#ALL}, by setting name. */
    private final Map<String, Param<?>> settingParams = new LinkedHashMap<>();

    /** A new embedder with a random uid. */
    public TpEmbedder() {
        this(Identifiable.randomUID("tpEmbedder"));
    }

    /**
     * @param uid the stage's uid (Spark ML's loader and {@link #copy} call this constructor)
     */
    public TpEmbedder(String uid) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "the text column (string)");
        outputCol = new Param<>(this, "outputCol", "the embedding column to add (array<float>)");
        skipEmpty = new BooleanParam(this, "skipEmpty",
                "leave the embedding of null or empty texts null (default false: embed them as the empty sentence)");
        encoderSettings = new SettingsParam(this, "encoderSettings",
                "encoder settings by name (EncoderSettings.NAMES, camel or kebab case) as text");
        for (Setting<?> setting : EncoderSettings.ALL) {
            settingParams.put(setting.name(), param(setting));
        }
        setDefault(outputCol, TpSpark.EMBEDDING);
        setDefault(skipEmpty, false);
        setDefault(encoderSettings, Map.of());
    }

    /** @return Spark ML's reader of saved embedders ({@code TpEmbedder.load(path)}; pipelines use it too) */
    public static MLReader<TpEmbedder> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where {@link #save} wrote it
     * @return the embedder
     */
    public static TpEmbedder load(String path) {
        return read().load(path);
    }

    @Override
    public String uid() {
        return uid;
    }

    /** @return the text column parameter */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** @return the embedding column parameter */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** @return the parameter saying whether null and empty texts are left without embedding */
    public BooleanParam skipEmpty() {
        return skipEmpty;
    }

    /** @return the encoder settings parameter */
    public Param<Map<String, String>> encoderSettings() {
        return encoderSettings;
    }

    /**
     * @param setting a setting of {@link EncoderSettings#ALL}
     * @return its typed parameter: an {@link IntArrayParam} for a pair, an {@link IntParam} for a number, a
     *     {@link BooleanParam} for a flag, else a {@code Param<String>}
     */
    public Param<?> settingParam(Setting<?> setting) {
        return Objects.requireNonNull(settingParams.get(setting.name()), setting.name());
    }

    /** @return the Token Prepending range parameter, {@code [start, exit]} */
    public IntArrayParam tp() {
        return (IntArrayParam) settingParam(EncoderSettings.TP);
    }

    /** @return the output layer parameter ({@code -1}, {@code 27}, {@code after:K}) */
    @SuppressWarnings("unchecked")
    public Param<String> outputLayer() {
        return (Param<String>) settingParam(EncoderSettings.OUTPUT_LAYER);
    }

    /** @return the prompt parameter (a method name or a template) */
    @SuppressWarnings("unchecked")
    public Param<String> prompt() {
        return (Param<String>) settingParam(EncoderSettings.PROMPT);
    }

    /** @return the named-prompt parameter (a trained embedder's {@code query}, {@code document}, ...) */
    @SuppressWarnings("unchecked")
    public Param<String> promptName() {
        return (Param<String>) settingParam(EncoderSettings.PROMPT_NAME);
    }

    /**
     * Every parameter, the generated ones of the settings included (Spark finds parameters by their accessors;
     * these are made from the settings' declarations instead).
     *
     * @return the parameters
     */
    @Override
    public Param<?>[] params() {
        List<Param<?>> all = new ArrayList<>(Arrays.asList(inputCol, outputCol, skipEmpty, encoderSettings));
        if (settingParams != null) {
            all.addAll(settingParams.values());
        }
        return all.stream().filter(Objects::nonNull).toArray(Param<?>[]::new);
    }

    /** @return the text column */
    public String getInputCol() {
        return getOrDefault(inputCol);
    }

    /** @return the embedding column */
    public String getOutputCol() {
        return getOrDefault(outputCol);
    }

    /** @return whether null and empty texts are left without embedding */
    public boolean getSkipEmpty() {
        return (Boolean) getOrDefault(skipEmpty);
    }

    /** @return the encoder settings: {@code encoderSettings}, with the settings set on their own parameters */
    public EncoderSettings getEncoderSettings() {
        Map<String, String> text = new LinkedHashMap<>();
        getOrDefault(encoderSettings).forEach((name, value) -> text.put(EncoderSettings.byName(name).name(), value));
        for (Map.Entry<String, Param<?>> e : settingParams.entrySet()) {
            if (isDefined(e.getValue())) {
                Object value = getOrDefault(e.getValue());
                text.put(e.getKey(), value instanceof int[] pair
                        ? Arrays.stream(pair).mapToObj(String::valueOf).collect(Collectors.joining(" "))
                        : String.valueOf(value));
            }
        }
        return EncoderSettings.fromTextMap(text);
    }

    /**
     * @param column the text column
     * @return this
     */
    public TpEmbedder setInputCol(String column) {
        set(inputCol, column);
        return this;
    }

    /**
     * @param column the embedding column to add
     * @return this
     */
    public TpEmbedder setOutputCol(String column) {
        set(outputCol, column);
        return this;
    }

    /**
     * @param skip leave the embedding of null or empty texts null
     * @return this
     */
    public TpEmbedder setSkipEmpty(boolean skip) {
        set(skipEmpty, skip);
        return this;
    }

    /**
     * @param settings the encoder settings (replacing all set before)
     * @return this
     * @throws io.github.tokenprepending.InvalidSettingException for a bad setting
     */
    public TpEmbedder setEncoderSettings(EncoderSettings settings) {
        set(encoderSettings, settings.validate().toTextMap());
        settingParams.values().forEach(this::clear);
        return this;
    }

    /**
     * @param name an {@link EncoderSettings} name, camel or kebab case ({@code maxBatchTokens}, {@code max-batch-tokens})
     * @param value its value as text
     * @return this
     * @throws io.github.tokenprepending.InvalidSettingException for an unknown name or a bad value
     */
    public TpEmbedder setEncoderSetting(String name, String value) {
        Map<String, String> values = new LinkedHashMap<>(getOrDefault(encoderSettings));
        values.put(name, value);
        set(encoderSettings, EncoderSettings.fromTextMap(values).validate().toTextMap());
        clear(settingParam(EncoderSettings.byName(name)));
        return this;
    }

    private Param<?> param(Setting<?> setting) {
        String doc = setting.description();
        return switch (setting.kind()) {
            case PAIR -> new IntArrayParam(this, setting.name(), doc);
            case NUMBER -> new IntParam(this, setting.name(), doc);
            case FLAG -> new BooleanParam(this, setting.name(), doc);
            case TEXT -> new Param<String>(this, setting.name(), doc);
        };
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return TpSpark.embed(dataset.toDF(), requiredInputCol(), getOutputCol(), getEncoderSettings(),
                getSkipEmpty() ? EmptyText.SKIP : EmptyText.EMBED);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        getEncoderSettings().validate();
        return TpSpark.outputSchema(schema, requiredInputCol(), getOutputCol());
    }

    private String requiredInputCol() {
        if (!isDefined(inputCol)) {
            throw new IllegalArgumentException("TpEmbedder " + uid + ": inputCol is not set (setInputCol)");
        }
        return getInputCol();
    }

    @Override
    public TpEmbedder copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }
}
