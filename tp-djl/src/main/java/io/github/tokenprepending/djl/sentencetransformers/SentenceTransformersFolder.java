package io.github.tokenprepending.djl.sentencetransformers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.djl.checkpoint.SafetensorsFile;
import io.github.tokenprepending.djl.checkpoint.Tensor;
import io.github.tokenprepending.head.Activation;
import io.github.tokenprepending.head.DenseLayer;
import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.head.Pooling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the sentence-transformers head of a trained embedder's folder into an {@link EmbeddingHead}:
 *
 * <ul>
 *   <li>{@code modules.json}: a {@code Transformer} at the folder's root, then {@code Pooling}, {@code Dense}
 *       modules and {@code Normalize}, by the classic type names ({@code sentence_transformers.models.Pooling})
 *       and the newer ones that sentence-transformers 5/6 write; only the class name counts;</li>
 *   <li>{@code 1_Pooling/config.json}: {@code pooling_mode} (a string, or the legacy {@code pooling_mode_*_tokens}
 *       flags), {@code include_prompt};</li>
 *   <li>{@code 2_Dense/config.json} and {@code model.safetensors} ({@code linear.weight}, {@code linear.bias}):
 *       {@code in_features}, {@code out_features}, {@code bias}, {@code activation_function};</li>
 *   <li>{@code sentence_bert_config.json}: {@code max_seq_length};</li>
 *   <li>{@code config_sentence_transformers.json}: {@code prompts}, {@code default_prompt_name},
 *       {@code similarity_fn_name}.</li>
 * </ul>
 *
 * <p>What the engine cannot run as trained is refused with the reason ({@link SupportedModels}).
 */
public final class SentenceTransformersFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SentenceTransformersFolder() {
    }

    /**
     * @param dir a model folder
     * @return its head, or empty when the folder has no {@code modules.json} (a plain HuggingFace checkpoint)
     * @throws IOException naming the file and the problem (a module this engine cannot run included)
     */
    public static Optional<EmbeddingHead> read(Path dir) throws IOException {
        SupportedModels.check(dir);
        Path modulesFile = dir.resolve("modules.json");
        if (!Files.isRegularFile(modulesFile)) {
            return Optional.empty();
        }
        JsonNode modules = readJson(modulesFile);
        if (!modules.isArray() || modules.isEmpty()) {
            throw new CheckpointException(modulesFile, "must be a non-empty array of modules");
        }
        Pooling pooling = null;
        boolean includePrompt = true;
        List<DenseLayer> dense = new ArrayList<>();
        boolean normalize = false;
        for (int i = 0; i < modules.size(); i++) {
            JsonNode module = modules.get(i);
            String type = module.path("type").asText("");
            String kind = type.substring(type.lastIndexOf('.') + 1);
            String path = module.path("path").asText("");
            Path moduleDir = dir.resolve(path);
            String where = "modules.json[" + i + "] (" + type + ")";
            if (i == 0) {
                if (!kind.equals("Transformer")) {
                    throw new CheckpointException(modulesFile, where + ": the first module must be a Transformer");
                }
                if (!path.isEmpty()) {
                    throw new CheckpointException(modulesFile, where + ": the Transformer lives in '" + path
                            + "'; give that folder as the model (its weights and tokenizer are there)");
                }
                continue;
            }
            switch (kind) {
                case "Pooling" -> {
                    if (pooling != null || !dense.isEmpty() || normalize) {
                        throw new CheckpointException(modulesFile, where + ": Pooling must come once, right after"
                                + " the Transformer");
                    }
                    Path config = moduleDir.resolve("config.json");
                    JsonNode c = readJson(config);
                    pooling = poolingMode(c, config);
                    includePrompt = c.path("include_prompt").asBoolean(true);
                }
                case "Dense" -> {
                    if (pooling == null || normalize) {
                        throw new CheckpointException(modulesFile, where + ": Dense must come after Pooling and"
                                + " before Normalize");
                    }
                    dense.add(dense(moduleDir));
                }
                case "Normalize" -> {
                    if (pooling == null) {
                        throw new CheckpointException(modulesFile, where + ": Normalize must come after Pooling");
                    }
                    normalize = true;
                }
                default -> throw new CheckpointException(modulesFile, where + ": module type '" + type
                        + "' is not supported (supported after the Transformer: Pooling, Dense, Normalize)");
            }
        }
        if (pooling == null) {
            throw new CheckpointException(modulesFile, "has no Pooling module: cannot tell how tokens become one"
                    + " vector");
        }
        int maxSeqLength = maxSeqLength(dir);
        Map<String, String> prompts = new LinkedHashMap<>();
        String defaultPrompt = null;
        String similarity = null;
        Path st = dir.resolve("config_sentence_transformers.json");
        if (Files.isRegularFile(st)) {
            JsonNode c = readJson(st);
            JsonNode p = c.path("prompts");
            if (p.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (!e.getValue().isTextual()) {
                        throw new CheckpointException(st, "prompts." + e.getKey() + " must be a string");
                    }
                    prompts.put(e.getKey(), e.getValue().textValue());
                }
            } else if (!p.isMissingNode() && !p.isNull()) {
                throw new CheckpointException(st, "prompts must be an object of name to text");
            }
            defaultPrompt = c.path("default_prompt_name").isTextual() ? c.path("default_prompt_name").textValue()
                    : null;
            if (defaultPrompt != null && !prompts.containsKey(defaultPrompt)) {
                throw new CheckpointException(st, "default_prompt_name '" + defaultPrompt + "' is not one of the"
                        + " prompts " + prompts.keySet());
            }
            similarity = c.path("similarity_fn_name").isTextual() ? c.path("similarity_fn_name").textValue() : null;
        }
        return Optional.of(new EmbeddingHead(pooling, includePrompt, dense, normalize, prompts, defaultPrompt,
                maxSeqLength, similarity));
    }

    /**
     * {@code max_seq_length} of sentence_bert_config.json; without it (the sentence-transformers 6 layout) the
     * tokenizer's {@code model_max_length}, unless that is transformers' "no limit" placeholder; else 0.
     */
    private static int maxSeqLength(Path dir) throws IOException {
        Path bert = dir.resolve("sentence_bert_config.json");
        if (Files.isRegularFile(bert)) {
            JsonNode length = readJson(bert).path("max_seq_length");
            if (!length.isMissingNode() && !length.isNull()) {
                if (!length.canConvertToInt() || length.intValue() < 1) {
                    throw new CheckpointException(bert, "max_seq_length must be a positive integer");
                }
                return length.intValue();
            }
        }
        Path tokenizerConfig = dir.resolve("tokenizer_config.json");
        if (Files.isRegularFile(tokenizerConfig)) {
            JsonNode length = readJson(tokenizerConfig).path("model_max_length");
            if (length.isIntegralNumber() && length.canConvertToInt() && length.intValue() > 0) {
                return length.intValue();
            }
        }
        return 0;
    }

    private static Pooling poolingMode(JsonNode c, Path config) throws CheckpointException {
        JsonNode mode = c.path("pooling_mode");
        List<String> modes = new ArrayList<>();
        if (mode.isTextual()) {
            modes.add(mode.textValue());
        } else if (mode.isArray()) {
            mode.forEach(m -> modes.add(m.asText()));
        } else {
            for (Iterator<String> it = c.fieldNames(); it.hasNext();) {
                String key = it.next();
                if (key.startsWith("pooling_mode_") && c.path(key).asBoolean(false)) {
                    String m = key.substring("pooling_mode_".length()).replace("_tokens", "").replace("_token", "");
                    modes.add(m.equals("mean_sqrt_len") ? "mean_sqrt_len_tokens" : m);
                }
            }
            if (modes.isEmpty()) {
                modes.add("mean"); // sentence-transformers' default when no flag is set
            }
        }
        if (modes.size() != 1) {
            throw new CheckpointException(config, "pooling modes " + modes + " are combined; one mode is"
                    + " supported (lasttoken, mean, weightedmean)");
        }
        try {
            return Pooling.parse(modes.get(0).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config, e.getMessage());
        }
    }

    private static DenseLayer dense(Path moduleDir) throws IOException {
        Path config = moduleDir.resolve("config.json");
        JsonNode c = readJson(config);
        int in = positive(c, "in_features", config);
        int out = positive(c, "out_features", config);
        boolean bias = c.path("bias").asBoolean(true);
        if (c.path("use_residual").asBoolean(false)) {
            throw new CheckpointException(config, "use_residual is not supported");
        }
        Activation activation;
        try {
            activation = Activation.parse(c.path("activation_function").isTextual()
                    ? c.path("activation_function").textValue() : null);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(config, e.getMessage());
        }
        Path weights = moduleDir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new CheckpointException(weights, "not found" + (Files.exists(moduleDir.resolve("pytorch_model.bin"))
                    ? ": only pytorch_model.bin is there; save the module with safetensors" : ""));
        }
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            float[] w = values(file.tensor("linear.weight"), new long[] {out, in}, weights);
            float[] b = bias ? values(file.tensor("linear.bias"), new long[] {out}, weights) : null;
            return new DenseLayer(in, out, w, b, activation);
        }
    }

    private static float[] values(Tensor tensor, long[] shape, Path file) throws IOException {
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new CheckpointException(file, tensor.name() + " has shape "
                    + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(shape));
        }
        return tensor.toF32Array();
    }

    private static int positive(JsonNode c, String field, Path config) throws CheckpointException {
        JsonNode v = c.path(field);
        if (!v.canConvertToInt() || v.intValue() < 1) {
            throw new CheckpointException(config, field + " must be a positive integer");
        }
        return v.intValue();
    }

    private static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException(file, "not found (named by the folder's modules.json)");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CheckpointException(file, "is not valid JSON: " + e.getMessage(), e);
        }
    }
}
