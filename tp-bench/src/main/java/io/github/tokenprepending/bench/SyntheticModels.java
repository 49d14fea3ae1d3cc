package io.github.tokenprepending.bench;

import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.family.Activation;
import io.github.tokenprepending.djl.family.DecoderSpec;
import io.github.tokenprepending.djl.family.LlamaLike;
import io.github.tokenprepending.djl.family.RopeSpec;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.TextTokenizer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Random-weight Llama-style models described by a line such as
 * {@code llama:hidden=512,layers=8,heads=8,kv-heads=8,intermediate=1376,vocab=32001}, for benchmarks that must
 * not depend on downloading a checkpoint.
 */
public final class SyntheticModels {
    private static final Set<String> KEYS = Set.of("hidden", "layers", "heads", "kv-heads", "intermediate", "vocab",
            "head-dim", "max-positions", "rope-theta");

    private SyntheticModels() {
    }

    /**
     * Parses a description. Keys: hidden, layers, heads (required); kv-heads (default heads), intermediate
     * (default 8/3 of hidden, rounded to 32), vocab (default 32001), head-dim (default hidden/heads),
     * max-positions (default 4096), rope-theta (default 10000).
     *
     * @param description {@code family:key=value,...}
     * @return the architecture
     * @throws IllegalArgumentException naming the bad key or value
     */
    public static DecoderSpec parse(String description) {
        int colon = description.indexOf(':');
        String family = colon < 0 ? description.trim() : description.substring(0, colon).trim();
        if (!family.equals("llama")) {
            throw new IllegalArgumentException("synthetic models are llama-style; got family '" + family + "'");
        }
        Map<String, String> values = new HashMap<>();
        if (colon >= 0) {
            for (String part : description.substring(colon + 1).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                String[] kv = part.split("=", 2);
                String key = kv[0].trim().toLowerCase(Locale.ROOT);
                if (kv.length != 2 || !KEYS.contains(key)) {
                    throw new IllegalArgumentException("synthetic model: unknown or malformed '" + part.trim()
                            + "' (keys: " + String.join(", ", KEYS) + ")");
                }
                values.put(key, kv[1].trim());
            }
        }
        int hidden = number(values, "hidden", -1);
        int layers = number(values, "layers", -1);
        int heads = number(values, "heads", -1);
        int headDim = number(values, "head-dim", hidden / Math.max(1, heads));
        int intermediate = number(values, "intermediate", Math.round(hidden * 8f / 3f / 32f) * 32);
        return DecoderSpec.builder()
                .modelType("llama")
                .hiddenSize(hidden)
                .numLayers(layers)
                .numHeads(heads)
                .numKvHeads(number(values, "kv-heads", heads))
                .headDim(headDim)
                .intermediateSize(intermediate)
                .vocabSize(number(values, "vocab", 32001))
                .maxPositions(number(values, "max-positions", 4096))
                .rmsEps(1e-5)
                .rope(RopeSpec.plain(values.containsKey("rope-theta") ? Double.parseDouble(values.get("rope-theta"))
                        : 10000.0))
                .activation(Activation.SILU)
                .bosId(1)
                .build();
    }

    private static int number(Map<String, String> values, String key, int defaultValue) {
        String v = values.get(key);
        if (v == null) {
            if (defaultValue < 1) {
                throw new IllegalArgumentException("synthetic model: '" + key + "' is required");
            }
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("synthetic model: '" + key + "' must be a positive integer, got '"
                    + v + "'");
        }
    }

    /**
     * @param spec the architecture (from {@link #parse})
     * @param tokenizer a tokenizer whose ids fit the vocabulary (owned by the model from now on)
     * @param options device, dtype, placeholder
     * @param seed weight seed
     * @return a model with seeded random weights
     * @throws IOException never in practice (random weights need no files)
     */
    public static DjlLayerwiseModel create(DecoderSpec spec, TextTokenizer tokenizer, ModelOptions options,
            long seed) throws IOException {
        try (SyntheticWeights weights = new SyntheticWeights(seed)) {
            return DjlLayerwiseModel.create(LlamaLike.architecture("llama", spec, LlamaLike.block(0), false), weights,
                    tokenizer, options);
        }
    }
}
