package io.github.tokenprepending.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request's JSON object, read within the payload limit, with typed readers for its fields whose refusals name the
 * field: the request records ({@link OpenAiRequest}, {@link TeiRequest}) are built from these.
 */
final class JsonBody {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode object;

    private JsonBody(ObjectNode object) {
        this.object = object;
    }

    /**
     * Reads the body of a request.
     *
     * @param ctx the request
     * @param limit most bytes accepted (413 beyond)
     * @return the body's object
     * @throws ApiException 400 for malformed or empty JSON, 413 over the limit, 422 for JSON that is not an object
     */
    static JsonBody read(Context ctx, long limit) {
        if (ctx.contentLength() > limit) {
            throw tooLarge(ctx.contentLength(), limit);
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ApiException.validation(400, "cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > limit) {
            throw tooLarge(-1, limit);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.validation(400, "the request body is not valid JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.validation(400, "the request body is empty: send a JSON object");
        }
        if (!(node instanceof ObjectNode o)) {
            throw ApiException.validation(422, "the request body must be a JSON object, got " + type(node));
        }
        return new JsonBody(o);
    }

    /**
     * @param field the field
     * @param maxItems most strings accepted (413 beyond)
     * @return the field's strings: a string, or an array of strings; none empty
     */
    List<String> inputs(String field, int maxItems) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.validation(422, "missing field '" + field + "': a string or an array of strings");
        }
        List<String> inputs = new ArrayList<>();
        if (node.isTextual()) {
            inputs.add(node.asText());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isTextual()) {
                    throw ApiException.validation(422, field + "[" + i + "] must be a string, got "
                            + (item.isArray() || item.isNumber() ? "token ids (not supported: send text)"
                                    : type(item)));
                }
                inputs.add(item.asText());
            }
        } else {
            throw ApiException.validation(422, field + " must be a string or an array of strings, got " + type(node));
        }
        if (inputs.isEmpty()) {
            throw new ApiException(400, "empty", field + " is empty: send at least one string");
        }
        if (inputs.size() > maxItems) {
            throw ApiException.validation(413, field + " has " + inputs.size() + " items, over the limit of "
                    + maxItems + " per request (--max-client-batch-size)");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isEmpty()) {
                throw new ApiException(400, "empty", (node.isArray() ? field + "[" + i + "]" : field)
                        + " is an empty string");
            }
        }
        return inputs;
    }

    /** @return the field's boolean, or {@code fallback} when absent or null */
    Boolean flag(String field, Boolean fallback) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiException.validation(422, field + " must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    /** @return the field's string, one of {@code allowed}, or {@code fallback} when absent or null */
    String choice(String field, String fallback, List<String> allowed) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isTextual() || !allowed.contains(node.asText())) {
            throw ApiException.validation(422, field + " must be " + String.join(" or ", allowed.stream()
                    .map(a -> "\"" + a + "\"").toList()) + ", got " + node);
        }
        return node.asText();
    }

    /** @return the field's string, or null when absent or null; a field that is no string is refused */
    String text(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.validation(422, field + " must be a string, got " + type(node));
        }
        return node.asText();
    }

    /** @return the field's integer, or null when absent or null; a field that is no integer is refused */
    Integer integer(String field, String expected) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.validation(422, field + ": " + expected + ", got " + node);
        }
        return node.asInt();
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException p && p.getLocation() != null) {
            return p.getOriginalMessage() + " (line " + p.getLocation().getLineNr() + ", column "
                    + p.getLocation().getColumnNr() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private static String type(JsonNode node) {
        return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }

    private static ApiException tooLarge(long length, long limit) {
        return new ApiException(413, "validation", "the request body" + (length > 0 ? " (" + length + " bytes)" : "")
                + " is over the payload limit of " + limit + " bytes (--payload-limit)");
    }
}
