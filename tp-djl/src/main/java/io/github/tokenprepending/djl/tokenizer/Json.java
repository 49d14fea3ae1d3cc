package io.github.tokenprepending.djl.tokenizer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reading and writing the tokenizer's JSON files. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /**
     * @param json the file's bytes
     * @param source the file's name for messages
     * @return the top-level object
     * @throws IllegalArgumentException naming the file if it is not a JSON object
     */
    static ObjectNode parseObject(byte[] json, String source) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || node.isMissingNode()) {
            throw new IllegalArgumentException(source + " is empty");
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException(source + " must hold a JSON object, not " + node.getNodeType());
        }
        return object;
    }

    /** @return a new empty object */
    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * @param node a JSON tree
     * @return its compact UTF-8 serialization
     */
    static byte[] write(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write tokenizer JSON: " + e.getOriginalMessage(), e);
        }
    }
}
