package io.github.tokenprepending.djl.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A HuggingFace {@code config.json}, parsed once and read in one way: {@link #bind(Class)} binds it to a typed
 * record (the shared fields to {@code family.CommonConfig}, a family's own to its config record). A field set to
 * JSON {@code null} counts as absent. Errors are {@link CheckpointException}s naming the file and the field, e.g.
 * {@code .../config.json: 'num_hidden_layers' must be an integer, got "x"}.
 */
public final class HfConfig {

    /** Name of the config file in a model directory. */
    public static final String FILE_NAME = "config.json";

    /** Python's {@code json} writes {@code NaN} and {@code Infinity}; accept them as it does. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Binds configs: unknown fields ignored, no coercion ("8" is not a number, 8.5 not an integer, 7 not a string). */
    private static final ObjectMapper BINDER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, text -> text
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
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
            String field = field(e);
            JsonNode value = e.getPath().isEmpty() ? null : root.at("/" + field.replace('.', '/'));
            throw new CheckpointException(path, "'" + field + "' must be " + describe(e.getTargetType())
                    + ", got " + value, e);
        } catch (JsonMappingException e) {
            throw new CheckpointException(path, "'" + field(e) + "': " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CheckpointException(path, "cannot read as " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static String field(JsonMappingException e) {
        return e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").reduce((a, b) -> a + "." + b).orElse("?");
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
        return target.isRecord() ? "an object" : "a " + target.getSimpleName();
    }
}
