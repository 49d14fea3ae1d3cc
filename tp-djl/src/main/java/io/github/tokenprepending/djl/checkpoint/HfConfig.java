package io.github.tokenprepending.djl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A HuggingFace {@code config.json}. A field set to JSON {@code null} counts as absent. Getters check types
 * when called and throw a {@link CheckpointException} naming the file and the field, e.g.
 * {@code .../config.json: 'num_hidden_layers' must be a positive integer, got "x"}. Defaults that differ between
 * model families (e.g. {@code tie_word_embeddings}) are the caller's to pass. This class reads the fields every
 * family shares; a family binds its own fields to a small typed config with {@link #bind(Class)}.
 */
public final class HfConfig {

    /** Name of the config file in a model directory. */
    public static final String FILE_NAME = "config.json";

    /** Python's {@code json} writes {@code NaN} and {@code Infinity}; accept them as it does. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Binds family configs: unknown fields ignored, no coercion ("8" is not a number, 8.5 not an integer). */
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private final Path path;
    private final JsonNode root;

    private HfConfig(Path path, JsonNode root) {
        this.path = path;
        this.root = root;
    }

    /**
     * @param fileOrDirectory a {@code config.json}, or a model directory holding one
     * @return the parsed config
     * @throws CheckpointException if the file is missing, not JSON, or not a JSON object
     */
    public static HfConfig read(Path fileOrDirectory) throws CheckpointException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "not found");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new CheckpointException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(file, "not a JSON object");
        }
        return new HfConfig(file, root);
    }

    /** @return the config file */
    public Path path() {
        return path;
    }

    /** @return a copy of the whole JSON tree, for fields this class has no getter for */
    public JsonNode json() {
        return root.deepCopy();
    }

    /**
     * @param field a top-level field
     * @return whether it is present and not null
     */
    public boolean has(String field) {
        return value(root, field) != null;
    }

    /**
     * Binds config.json to a family's typed config, for example a record whose components carry
     * {@code @JsonProperty("query_pre_attn_scalar")}. Unknown fields are ignored; absent and null fields bind to
     * null (use boxed types); a record constructor's {@link IllegalArgumentException} becomes the error message.
     *
     * @param type the config type
     * @param <T> the config type
     * @return the bound config
     * @throws CheckpointException naming config.json and the field with a wrong type or value
     */
    public <T> T bind(Class<T> type) throws CheckpointException {
        try {
            return BINDER.treeToValue(root, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CheckpointException(path, cause.getMessage(), e);
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").reduce((a, b) -> a + "." + b).orElse("?");
            JsonNode value = e.getPath().isEmpty() ? null : root.at("/" + field.replace('.', '/'));
            throw new CheckpointException(path, "'" + field + "' must be " + describe(e.getTargetType())
                    + ", got " + value, e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CheckpointException(path, "cannot read as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Class<?> target) {
        if (target == null) {
            return "of another type";
        }
        if (target == Integer.class || target == int.class || target == Long.class || target == long.class) {
            return "an integer";
        }
        if (target == Double.class || target == double.class || target == Float.class || target == float.class) {
            return "a number";
        }
        if (target == Boolean.class || target == boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "a string";
        }
        return "a " + target.getSimpleName();
    }

    // ---- generic accessors ----

    /**
     * @param field a top-level field
     * @return its integer value
     * @throws CheckpointException if it is absent or not an int
     */
    public int requireInt(String field) throws CheckpointException {
        return require(field, optInt(field));
    }

    /**
     * @param field a top-level field
     * @return its value, at least 1
     * @throws CheckpointException if it is absent or not a positive int
     */
    public int requirePositiveInt(String field) throws CheckpointException {
        return require(field, intAt(root, field, field, true));
    }

    /**
     * @param field a top-level field
     * @return its integer value, or empty when absent
     * @throws CheckpointException if it is present but not an int
     */
    public OptionalInt optInt(String field) throws CheckpointException {
        return intAt(root, field, field, false);
    }

    /**
     * @param field a top-level field
     * @param defaultValue the value when absent
     * @return its integer value or the default
     * @throws CheckpointException if it is present but not an int
     */
    public int optInt(String field, int defaultValue) throws CheckpointException {
        return optInt(field).orElse(defaultValue);
    }

    /**
     * @param field a top-level field
     * @return its numeric value
     * @throws CheckpointException if it is absent or not a number
     */
    public double requireDouble(String field) throws CheckpointException {
        return require(field, optDouble(field));
    }

    /**
     * @param field a top-level field
     * @return its numeric value (an integer is accepted), or empty when absent
     * @throws CheckpointException if it is present but not a number
     */
    public OptionalDouble optDouble(String field) throws CheckpointException {
        return doubleAt(root, field, field, false);
    }

    /**
     * @param field a top-level field
     * @param defaultValue the value when absent
     * @return its numeric value or the default
     * @throws CheckpointException if it is present but not a number
     */
    public double optDouble(String field, double defaultValue) throws CheckpointException {
        return optDouble(field).orElse(defaultValue);
    }

    /**
     * @param field a top-level field
     * @param defaultValue the value when absent
     * @return its boolean value or the default
     * @throws CheckpointException if it is present but not {@code true} or {@code false}
     */
    public boolean optBoolean(String field, boolean defaultValue) throws CheckpointException {
        JsonNode n = value(root, field);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw invalid(field, "true or false", n);
        }
        return n.booleanValue();
    }

    /**
     * @param field a top-level field
     * @return its string value
     * @throws CheckpointException if it is absent or not a string
     */
    public String requireString(String field) throws CheckpointException {
        Optional<String> s = optString(field);
        if (s.isEmpty()) {
            throw missing(field);
        }
        return s.get();
    }

    /**
     * @param field a top-level field
     * @return its string value, or empty when absent
     * @throws CheckpointException if it is present but not a string
     */
    public Optional<String> optString(String field) throws CheckpointException {
        return stringAt(root, field, field);
    }

    /**
     * @param field a top-level field holding an integer or a list of integers (as {@code eos_token_id} may)
     * @return the integers; empty when absent
     * @throws CheckpointException if it is present but neither
     */
    public List<Integer> optIntList(String field) throws CheckpointException {
        JsonNode n = value(root, field);
        List<Integer> values = new ArrayList<>();
        if (n == null) {
            return values;
        }
        if (isInt(n)) {
            values.add(n.intValue());
            return values;
        }
        if (n.isArray()) {
            for (JsonNode element : n) {
                if (!isInt(element)) {
                    throw invalid(field, "an integer or a list of integers", n);
                }
                values.add(element.intValue());
            }
            return values;
        }
        throw invalid(field, "an integer or a list of integers", n);
    }

    // ---- typed getters ----

    /** @return {@code model_type}, e.g. {@code llama}, {@code qwen2}, {@code gemma2} (required) */
    public String modelType() throws CheckpointException {
        return requireString("model_type");
    }

    /** @return {@code hidden_size} (required) */
    public int hiddenSize() throws CheckpointException {
        return requirePositiveInt("hidden_size");
    }

    /** @return {@code num_hidden_layers} (required) */
    public int numHiddenLayers() throws CheckpointException {
        return requirePositiveInt("num_hidden_layers");
    }

    /** @return {@code num_attention_heads} (required) */
    public int numAttentionHeads() throws CheckpointException {
        return requirePositiveInt("num_attention_heads");
    }

    /**
     * @return {@code num_key_value_heads}, by default {@code num_attention_heads}; it must divide the number of
     *     attention heads
     */
    public int numKeyValueHeads() throws CheckpointException {
        int heads = numAttentionHeads();
        int kvHeads = intAt(root, "num_key_value_heads", "num_key_value_heads", true).orElse(heads);
        if (heads % kvHeads != 0) {
            throw new CheckpointException(path, "'num_key_value_heads' (" + kvHeads
                    + ") must divide 'num_attention_heads' (" + heads + ")");
        }
        return kvHeads;
    }

    /**
     * @return {@code head_dim} when given (Gemma2's differs from the quotient), else
     *     {@code hidden_size / num_attention_heads}, which must then be whole
     */
    public int headDim() throws CheckpointException {
        OptionalInt explicit = intAt(root, "head_dim", "head_dim", true);
        if (explicit.isPresent()) {
            return explicit.getAsInt();
        }
        int hidden = hiddenSize();
        int heads = numAttentionHeads();
        if (hidden % heads != 0) {
            throw new CheckpointException(path, "no 'head_dim', and 'hidden_size' (" + hidden
                    + ") is not a multiple of 'num_attention_heads' (" + heads + ")");
        }
        return hidden / heads;
    }

    /** @return {@code intermediate_size} (required) */
    public int intermediateSize() throws CheckpointException {
        return requirePositiveInt("intermediate_size");
    }

    /** @return {@code vocab_size} (required) */
    public int vocabSize() throws CheckpointException {
        return requirePositiveInt("vocab_size");
    }

    /** @return {@code rms_norm_eps}, by default 1e-6 (the Llama, Qwen2 and Gemma2 default) */
    public double rmsNormEps() throws CheckpointException {
        return doubleAt(root, "rms_norm_eps", "rms_norm_eps", true).orElse(1e-6);
    }

    /**
     * @return {@code rope_theta}, else {@code rope_parameters.rope_theta} (newer transformers), else 10000
     */
    public double ropeTheta() throws CheckpointException {
        OptionalDouble theta = doubleAt(root, "rope_theta", "rope_theta", true);
        if (theta.isPresent()) {
            return theta.getAsDouble();
        }
        JsonNode parameters = value(root, "rope_parameters");
        if (parameters != null && parameters.isObject()) {
            return doubleAt(parameters, "rope_parameters.rope_theta", "rope_theta", true).orElse(10_000);
        }
        return 10_000;
    }

    /**
     * @return {@code rope_scaling} (else {@code rope_parameters}, as newer transformers write it); empty when
     *     absent, null, or of type {@code default} (plain RoPE)
     * @throws CheckpointException if it is not an object, has no type, or a parameter is not a positive number
     */
    public Optional<RopeScaling> ropeScaling() throws CheckpointException {
        String field = has("rope_scaling") ? "rope_scaling" : "rope_parameters";
        JsonNode n = value(root, field);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw invalid(field, "an object or null", n);
        }
        Optional<String> type = stringAt(n, field + ".rope_type", "rope_type");
        if (type.isEmpty()) {
            type = stringAt(n, field + ".type", "type");
        }
        if (type.isEmpty()) {
            throw new CheckpointException(path, "'" + field + "' has no 'rope_type' (or 'type'): " + n);
        }
        if (type.get().equals("default")) {
            return Optional.empty();
        }
        return Optional.of(new RopeScaling(type.get(),
                doubleAt(n, field + ".factor", "factor", true),
                doubleAt(n, field + ".low_freq_factor", "low_freq_factor", true),
                doubleAt(n, field + ".high_freq_factor", "high_freq_factor", true),
                intAt(n, field + ".original_max_position_embeddings", "original_max_position_embeddings", true)));
    }

    /**
     * @param defaultValue the family's default (Llama 2048, Qwen2 32768, Gemma2 8192)
     * @return {@code max_position_embeddings}
     */
    public int maxPositionEmbeddings(int defaultValue) throws CheckpointException {
        return intAt(root, "max_position_embeddings", "max_position_embeddings", true).orElse(defaultValue);
    }

    /**
     * @param defaultValue the family's default (Llama and Qwen2 false, Gemma2 true)
     * @return {@code tie_word_embeddings}
     */
    public boolean tieWordEmbeddings(boolean defaultValue) throws CheckpointException {
        return optBoolean("tie_word_embeddings", defaultValue);
    }

    /** @return {@code hidden_act} (Llama-like families; their default is {@code silu}) */
    public Optional<String> hiddenAct() throws CheckpointException {
        return optString("hidden_act");
    }

    /** @return {@code torch_dtype}, else {@code dtype} (newer transformers), e.g. {@code bfloat16} */
    public Optional<String> torchDtype() throws CheckpointException {
        Optional<String> dtype = optString("torch_dtype");
        return dtype.isPresent() ? dtype : optString("dtype");
    }

    /** @return {@code bos_token_id}; empty when absent or null */
    public OptionalInt bosTokenId() throws CheckpointException {
        return optInt("bos_token_id");
    }

    /** @return {@code eos_token_id} as a list (it may be one id or several); empty when absent or null */
    public List<Integer> eosTokenIds() throws CheckpointException {
        return optIntList("eos_token_id");
    }

    /** @return {@code pad_token_id}; empty when absent or null */
    public OptionalInt padTokenId() throws CheckpointException {
        return optInt("pad_token_id");
    }

    // ---- helpers ----

    private static JsonNode value(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        return n == null || n.isNull() ? null : n;
    }

    private static boolean isInt(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToInt();
    }

    private OptionalInt intAt(JsonNode parent, String label, String key, boolean positive)
            throws CheckpointException {
        JsonNode n = value(parent, key);
        if (n == null) {
            return OptionalInt.empty();
        }
        if (!isInt(n) || (positive && n.intValue() <= 0)) {
            throw invalid(label, positive ? "a positive integer" : "an integer", n);
        }
        return OptionalInt.of(n.intValue());
    }

    private OptionalDouble doubleAt(JsonNode parent, String label, String key, boolean positive)
            throws CheckpointException {
        JsonNode n = value(parent, key);
        if (n == null) {
            return OptionalDouble.empty();
        }
        if (!n.isNumber() || (positive && !(n.doubleValue() > 0 && Double.isFinite(n.doubleValue())))) {
            throw invalid(label, positive ? "a positive number" : "a number", n);
        }
        return OptionalDouble.of(n.doubleValue());
    }

    private Optional<String> stringAt(JsonNode parent, String label, String key) throws CheckpointException {
        JsonNode n = value(parent, key);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw invalid(label, "a string", n);
        }
        return Optional.of(n.textValue());
    }

    private int require(String field, OptionalInt value) throws CheckpointException {
        if (value.isEmpty()) {
            throw missing(field);
        }
        return value.getAsInt();
    }

    private double require(String field, OptionalDouble value) throws CheckpointException {
        if (value.isEmpty()) {
            throw missing(field);
        }
        return value.getAsDouble();
    }

    private CheckpointException missing(String field) {
        return new CheckpointException(path, "required field '" + field + "' is missing");
    }

    private CheckpointException invalid(String label, String expectation, JsonNode value) {
        return new CheckpointException(path, "'" + label + "' must be " + expectation + ", got " + value);
    }
}
