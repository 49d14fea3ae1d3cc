package io.github.tokenprepending.djl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A validated {@code tokenizer.json}: its vocabulary's ids, its added tokens, and the copy of the file that is
 * handed to the native tokenizer with the private placeholder token appended.
 */
final class TokenizerJson {
    private final String source;
    private final ObjectNode root;
    private final ArrayNode addedTokens;
    private final Map<String, Integer> modelVocab;
    private final Map<String, Integer> addedVocab = new HashMap<>();
    private final int size;

    private TokenizerJson(String source, ObjectNode root, ArrayNode addedTokens, Map<String, Integer> modelVocab) {
        this.source = source;
        this.root = root;
        this.addedTokens = addedTokens;
        this.modelVocab = modelVocab;
        int max = modelVocab.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        for (JsonNode token : addedTokens) {
            int id = token.get("id").intValue();
            addedVocab.putIfAbsent(token.get("content").textValue(), id);
            max = Math.max(max, id);
        }
        this.size = max + 1;
    }

    /**
     * Parses and checks a {@code tokenizer.json}.
     *
     * @param json the file's bytes
     * @param source the file's name for messages
     * @return the file
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static TokenizerJson parse(byte[] json, String source) {
        ObjectNode root = Json.parseObject(json, source);
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw new IllegalArgumentException(source + " has no \"model\" object");
        }
        Map<String, Integer> vocab = modelVocab(model.get("vocab"), source);
        JsonNode added = root.get("added_tokens");
        ArrayNode addedTokens;
        if (added == null || added.isNull()) {
            addedTokens = root.arrayNode();
        } else if (added instanceof ArrayNode array) {
            addedTokens = array;
        } else {
            throw new IllegalArgumentException(source + ": \"added_tokens\" must be an array");
        }
        for (int i = 0; i < addedTokens.size(); i++) {
            JsonNode token = addedTokens.get(i);
            if (!token.isObject() || !token.path("id").canConvertToInt() || !token.path("id").isIntegralNumber()
                    || token.path("id").intValue() < 0 || !token.path("content").isTextual()) {
                throw new IllegalArgumentException(source + ": added_tokens[" + i
                        + "] needs a non-negative integer \"id\" and a string \"content\"");
            }
        }
        return new TokenizerJson(source, root, addedTokens, vocab);
    }

    /** Reads {@code model.vocab}: an object token -> id (BPE, WordPiece, WordLevel) or a list of [token, score] (Unigram). */
    private static Map<String, Integer> modelVocab(JsonNode vocab, String source) {
        if (vocab == null || vocab.isNull()) {
            throw new IllegalArgumentException(source + " has no \"model.vocab\"");
        }
        Map<String, Integer> ids = new HashMap<>(Math.max(16, vocab.size() * 4 / 3 + 1));
        if (vocab.isObject()) {
            for (Map.Entry<String, JsonNode> e : vocab.properties()) {
                JsonNode id = e.getValue();
                if (!id.isIntegralNumber() || !id.canConvertToInt() || id.intValue() < 0) {
                    throw new IllegalArgumentException(source + ": model.vocab maps \"" + e.getKey()
                            + "\" to " + id + ", not to a non-negative integer id");
                }
                ids.put(e.getKey(), id.intValue());
            }
        } else if (vocab.isArray()) {
            for (int i = 0; i < vocab.size(); i++) {
                JsonNode piece = vocab.get(i);
                if (!piece.isArray() || !piece.path(0).isTextual()) {
                    throw new IllegalArgumentException(source + ": model.vocab[" + i
                            + "] is not a [token, score] pair");
                }
                ids.putIfAbsent(piece.get(0).textValue(), i);
            }
        } else {
            throw new IllegalArgumentException(source + ": \"model.vocab\" must be an object or an array");
        }
        return ids;
    }

    /** @return the ids of the added tokens marked {@code "special": true} (BOS, EOS, padding, ...) */
    Set<Integer> specialIds() {
        Set<Integer> ids = new HashSet<>();
        for (JsonNode token : addedTokens) {
            if (token.path("special").asBoolean(false)) {
                ids.add(token.get("id").intValue());
            }
        }
        return ids;
    }

    /** @return the file's name for messages */
    String source() {
        return source;
    }

    /**
     * @return the number of ids the file defines, i.e. the largest id in {@code model.vocab} and
     *     {@code added_tokens} plus one: transformers' {@code len(tokenizer)}, the id {@code <PST>} gets
     */
    int size() {
        return size;
    }

    /**
     * @param token a token's text
     * @return its id as the tokenizer resolves it (added tokens first, then the model's vocabulary)
     */
    OptionalInt idOf(String token) {
        Integer id = addedVocab.get(token);
        if (id == null) {
            id = modelVocab.get(token);
        }
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /**
     * The file as the native tokenizer gets it: {@code placeholder} appended to {@code added_tokens} as the
     * non-special, normalized token that transformers' {@code add_tokens(['<PST>'])} creates, with id
     * {@link #size()}. With {@code disabledSpecialPrefix} the special added tokens no longer match text: those
     * in the model's vocabulary are left out of {@code added_tokens}, the others get an unmatchable content
     * (that prefix plus a number) and keep their place, hence their ids.
     *
     * @param placeholder the content of the placeholder token
     * @param disabledSpecialPrefix null to keep special tokens, else the start of the replacement contents
     * @return the JSON bytes
     */
    byte[] withPlaceholder(String placeholder, String disabledSpecialPrefix) {
        ArrayNode tokens = root.arrayNode();
        int disabled = 0;
        for (JsonNode token : addedTokens) {
            String content = token.get("content").textValue();
            if (disabledSpecialPrefix == null || !token.path("special").asBoolean(false)) {
                tokens.add(token);
            } else if (!modelVocab.containsKey(content)) {
                tokens.add(((ObjectNode) token).deepCopy().put("content", disabledSpecialPrefix + disabled++ + ">"));
            }
        }
        tokens.add(Json.object()
                .put("id", size)
                .put("content", placeholder)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", true)
                .put("special", false));
        ObjectNode copy = root.objectNode();
        copy.setAll(root);
        copy.set("added_tokens", tokens);
        return Json.write(copy);
    }
}
