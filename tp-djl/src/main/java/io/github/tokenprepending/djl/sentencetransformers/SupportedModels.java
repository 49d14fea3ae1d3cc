package io.github.tokenprepending.djl.sentencetransformers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Refuses, with the reason, models whose forward pass is not the causal decoder the engine runs: custom modeling
 * code ({@code auto_map} naming a model class: LLM2Vec's bidirectional Llama/Mistral, NV-Embed's latent attention),
 * {@code is_causal: false}, and NV-Embed's {@code model_type}. A tokenizer-only {@code auto_map} is fine.
 */
public final class SupportedModels {
    /** What the engine runs, for error messages. */
    public static final String SUPPORTED = "causal decoders of model_type llama, mistral, qwen2, qwen3 and gemma2"
            + " (architectures *ForCausalLM or the bare LlamaModel, MistralModel, Qwen2Model, Qwen3Model,"
            + " Gemma2Model), plain or as sentence-transformers folders: Qwen3-Embedding, e5-mistral-7b-instruct,"
            + " SFR-Embedding-Mistral, Linq-Embed-Mistral, gte-Qwen2-instruct, stella_en_*_v5,"
            + " bge-multilingual-gemma2";

    private SupportedModels() {
    }

    /**
     * @param dir a model folder (nothing is checked when it has no config.json)
     * @throws CheckpointException naming config.json and why the model cannot run here
     * @throws IOException if config.json cannot be read
     */
    public static void check(Path dir) throws IOException {
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return;
        }
        JsonNode c;
        try {
            c = new ObjectMapper().readTree(config.toFile());
        } catch (IOException e) {
            throw new CheckpointException(config, "is not valid JSON: " + e.getMessage(), e);
        }
        String type = c.path("model_type").asText("").toLowerCase(Locale.ROOT);
        if (type.startsWith("nvembed")) {
            throw refuse(config, "NV-Embed pools with a latent-attention layer and attends bidirectionally, in the"
                    + " model's own code");
        }
        List<String> modeling = new ArrayList<>();
        for (Iterator<String> it = c.path("auto_map").fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!key.startsWith("AutoTokenizer")) {
                modeling.add(key + " -> " + c.path("auto_map").path(key).asText());
            }
        }
        if (!modeling.isEmpty()) {
            throw refuse(config, "auto_map names custom modeling code " + modeling + " (LLM2Vec's bidirectional"
                    + " attention, NV-Embed's latent attention, ...): this engine runs only the standard causal"
                    + " layers and cannot run code shipped with a model");
        }
        if (c.path("is_causal").isBoolean() && !c.path("is_causal").booleanValue()) {
            throw refuse(config, "is_causal is false: the model attends bidirectionally");
        }
    }

    private static CheckpointException refuse(Path config, String why) {
        return new CheckpointException(config, why + ". Supported: " + SUPPORTED);
    }
}
