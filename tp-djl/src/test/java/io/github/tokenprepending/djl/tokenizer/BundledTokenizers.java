package io.github.tokenprepending.djl.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * The tokenizer files under {@code src/test/resources/tokenizers/<family>/} and tokenizers made from them.
 * {@link #shared} instances are created once per test JVM and stay open until it exits, so that the large
 * files (Gemma2: 17 MB) are parsed once for all test classes.
 */
final class BundledTokenizers {
    /** The bundled families, as the folders are named. */
    static final List<String> FAMILIES = List.of("llama2", "llama3", "qwen2", "qwen3", "gemma2", "stories260K-hf");
    /** {@code bos_mode} of the files made with the tokenizer as AutoTokenizer loads it. */
    static final String AS_LOADED = "as_loaded";
    /** {@code bos_mode} of the Llama-3 files made with a post-processor that prepends BOS 128000. */
    static final String BOS_PREPENDED = "bos128000_prepended";

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Map<String, HfTextTokenizer> SHARED = new ConcurrentHashMap<>();

    private BundledTokenizers() {
    }

    /**
     * @param family a bundled family
     * @param bosMode {@link #AS_LOADED}, or {@link #BOS_PREPENDED} for llama3
     * @return the shared tokenizer (do not close it)
     */
    static HfTextTokenizer shared(String family, String bosMode) {
        return SHARED.computeIfAbsent(family + "/" + bosMode, key -> create(family, bosMode, SpecialTokenText.AS_CONFIGURED));
    }

    /**
     * @param family a bundled family
     * @return the shared tokenizer as AutoTokenizer loads the files (do not close it)
     */
    static HfTextTokenizer shared(String family) {
        return shared(family, AS_LOADED);
    }

    /**
     * @param family a bundled family
     * @param bosMode {@link #AS_LOADED}, or {@link #BOS_PREPENDED} for llama3
     * @param specialTokens the special-token handling
     * @return a new tokenizer, to be closed by the caller
     */
    static HfTextTokenizer create(String family, String bosMode, SpecialTokenText specialTokens) {
        byte[] json = tokenizerJson(family);
        if (bosMode.equals(BOS_PREPENDED)) {
            json = withBosPrepended(json);
        } else if (!bosMode.equals(AS_LOADED)) {
            throw new IllegalArgumentException("unknown bos_mode " + bosMode);
        }
        return HfTextTokenizer.fromJson(json, resource(family + "/tokenizer_config.json"), specialTokens);
    }

    /**
     * @param family a bundled family
     * @return its tokenizer.json
     */
    static byte[] tokenizerJson(String family) {
        return resource(family + "/tokenizer.json");
    }

    /**
     * @param path a path under {@code tokenizers/}; a {@code .gz} file of that name is read decompressed
     * @return the contents
     */
    static byte[] resource(String path) {
        try (InputStream plain = BundledTokenizers.class.getResourceAsStream("/tokenizers/" + path)) {
            if (plain != null) {
                return plain.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (InputStream gz = BundledTokenizers.class.getResourceAsStream("/tokenizers/" + path + ".gz")) {
            if (gz == null) {
                throw new IllegalArgumentException("no test resource tokenizers/" + path + "[.gz]");
            }
            try (InputStream in = new GZIPInputStream(gz)) {
                return in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The post-processor of the current meta-llama Llama-3 repositories, as PROMPT_IDS.md describes the
     * {@code bos128000_prepended} files: {@code Sequence[<the original ByteLevel>, TemplateProcessing(
     * "<|begin_of_text|> $A")]}.
     */
    private static byte[] withBosPrepended(byte[] tokenizerJson) {
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(tokenizerJson);
            ObjectNode template = MAPPER.createObjectNode().put("type", "TemplateProcessing");
            template.set("single", MAPPER.readTree(
                    "[{\"SpecialToken\":{\"id\":\"<|begin_of_text|>\",\"type_id\":0}},"
                            + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}]"));
            template.set("pair", MAPPER.readTree(
                    "[{\"SpecialToken\":{\"id\":\"<|begin_of_text|>\",\"type_id\":0}},"
                            + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                            + "{\"SpecialToken\":{\"id\":\"<|begin_of_text|>\",\"type_id\":1}},"
                            + "{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}]"));
            template.set("special_tokens", MAPPER.readTree(
                    "{\"<|begin_of_text|>\":{\"id\":\"<|begin_of_text|>\",\"ids\":[128000],"
                            + "\"tokens\":[\"<|begin_of_text|>\"]}}"));
            ObjectNode sequence = MAPPER.createObjectNode().put("type", "Sequence");
            ArrayNode processors = sequence.putArray("processors");
            processors.add(root.get("post_processor"));
            processors.add(template);
            root.set("post_processor", sequence);
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param node a JSON array of integers
     * @return them as an int array
     */
    static int[] ints(JsonNode node) {
        int[] values = new int[node.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = node.get(i).intValue();
        }
        return values;
    }
}
