package io.github.tokenprepending.djl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The parts of {@code tokenizer_config.json} that change token ids in transformers 4.46: the tokenizer class
 * (whether BOS/EOS come from the file's post-processor), {@code add_bos_token}/{@code add_eos_token}, the BOS
 * and EOS tokens, and {@code split_special_tokens}.
 */
final class TokenizerConfigJson {
    /** Fast classes that replace tokenizer.json's post-processor by one built from add_bos/eos_token: their BOS and EOS defaults. */
    private static final Map<String, String[]> OWN_POST_PROCESSOR = Map.of(
            "LlamaTokenizer", new String[] {"<s>", "</s>"},
            "CodeLlamaTokenizer", new String[] {"<s>", "</s>"},
            "GemmaTokenizer", new String[] {"<bos>", "<eos>"});

    private final String source;
    private final ObjectNode config;

    private TokenizerConfigJson(String source, ObjectNode config) {
        this.source = source;
        this.config = config;
    }

    /** @return the settings of a model without {@code tokenizer_config.json} */
    static TokenizerConfigJson absent() {
        return new TokenizerConfigJson("tokenizer_config.json", Json.object());
    }

    /**
     * @param json the file's bytes
     * @param source the file's name for messages
     * @return the parsed settings
     * @throws IllegalArgumentException naming the file if it is malformed
     */
    static TokenizerConfigJson parse(byte[] json, String source) {
        TokenizerConfigJson parsed = new TokenizerConfigJson(source, Json.parseObject(json, source));
        for (String flag : new String[] {"add_bos_token", "add_eos_token", "split_special_tokens"}) {
            JsonNode value = parsed.config.get(flag);
            if (value != null && !value.isNull() && !value.isBoolean()) {
                throw new IllegalArgumentException(source + ": \"" + flag + "\" must be true or false, not " + value);
            }
        }
        JsonNode tokenizerClass = parsed.config.get("tokenizer_class");
        if (tokenizerClass != null && !tokenizerClass.isNull() && !tokenizerClass.isTextual()) {
            throw new IllegalArgumentException(source + ": \"tokenizer_class\" must be a string");
        }
        return parsed;
    }

    /** @return {@code split_special_tokens}, false when absent */
    boolean splitSpecialTokens() {
        return config.path("split_special_tokens").asBoolean(false);
    }

    /**
     * How BOS and EOS are added for this tokenizer class.
     *
     * @param tokenizer the tokenizer.json the ids come from
     * @return the rule
     * @throws IllegalArgumentException if a BOS/EOS token to add is missing or unknown, or transformers would
     *     rebuild the tokenizer from a SentencePiece model instead of reading tokenizer.json
     */
    BosEos bosEos(TokenizerJson tokenizer) {
        String tokenizerClass = config.path("tokenizer_class").asText("").replaceFirst("Fast$", "");
        String[] defaults = OWN_POST_PROCESSOR.get(tokenizerClass);
        if (defaults == null) {
            return BosEos.POST_PROCESSOR;
        }
        JsonNode prefixSpace = config.get("add_prefix_space");
        if (tokenizerClass.equals("LlamaTokenizer") && prefixSpace != null && !prefixSpace.isNull()) {
            throw new IllegalArgumentException(source + " sets \"add_prefix_space\" for LlamaTokenizer: transformers"
                    + " then converts tokenizer.model (from_slow) instead of reading tokenizer.json, which this"
                    + " tokenizer cannot reproduce; remove the setting or set it to null");
        }
        int bos = config.path("add_bos_token").asBoolean(true) ? edgeId("bos_token", defaults[0], tokenizer) : -1;
        int eos = config.path("add_eos_token").asBoolean(false) ? edgeId("eos_token", defaults[1], tokenizer) : -1;
        return new BosEos(false, bos, bos < 0 ? null : token("bos_token", defaults[0]),
                eos, eos < 0 ? null : token("eos_token", defaults[1]));
    }

    private int edgeId(String key, String defaultToken, TokenizerJson tokenizer) {
        String token = token(key, defaultToken);
        if (token == null) {
            throw new IllegalArgumentException(source + " asks for " + key.replace("_token", "") + " but its \""
                    + key + "\" is null");
        }
        return tokenizer.idOf(token).orElseThrow(() -> new IllegalArgumentException(source + ": " + key + " \""
                + token + "\" is not a token of " + tokenizer.source()));
    }

    /** @return the token's text: a string or an AddedToken object's content; the class default when absent; null when null */
    private String token(String key, String defaultToken) {
        JsonNode value = config.get(key);
        if (value == null) {
            return defaultToken;
        }
        if (value.isNull()) {
            return null;
        }
        JsonNode content = value.isObject() ? value.get("content") : value;
        if (content == null || !content.isTextual()) {
            throw new IllegalArgumentException(source + ": \"" + key + "\" must be a string or an object with a"
                    + " string \"content\"");
        }
        return content.textValue();
    }
}
