package io.github.tokenprepending;

import io.github.tokenprepending.prompt.PromptMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The official code's settings per model (its {@code config.yaml}), and a default for other models scaled from
 * Llama-2-7B's.
 *
 * <table>
 *   <caption>Presets</caption>
 *   <tr><th>preset</th><th>prompt</th><th>output layer</th><th>TP</th></tr>
 *   <tr><td>llama-2-7b</td><td>PromptEOL</td><td>27</td><td>1..7</td></tr>
 *   <tr><td>llama-2-13b</td><td>Pretended CoT</td><td>-2</td><td>1..7</td></tr>
 *   <tr><td>llama-3-8b</td><td>Pretended CoT</td><td>-2</td><td>1..3</td></tr>
 *   <tr><td>qwen2-7b</td><td>Pretended CoT</td><td>-2</td><td>1..6</td></tr>
 *   <tr><td>gemma2-9b</td><td>Pretended CoT</td><td>-2</td><td>1..6</td></tr>
 * </table>
 *
 * <p>Families the paper did not run get presets by the {@linkplain #defaultFor default depth rule} for their
 * depth, named so that their ids find them: {@code qwen3-0.6b}, {@code qwen3-1.7b} (28 layers: output 24, TP
 * 1..6), {@code qwen3-4b}, {@code qwen3-8b} (36: 30, 1..8), {@code qwen3-14b} (40: 34, 1..9), {@code qwen3-32b}
 * (64: 54, 1..14). No measurement backs them beyond the rule.
 *
 * <p>Trained decoder embedders ({@link #embedders()}: Qwen3-Embedding, e5-mistral-7b-instruct, SFR-Embedding-Mistral,
 * Linq-Embed-Mistral, gte-Qwen2-instruct, stella_en_*_v5, bge-multilingual-gemma2) run as trained: the folder's
 * sentence-transformers head and prompts, the last layer, no Token Prepending unless asked for.
 */
public final class Presets {
    private static final String OFFICIAL = "official config.yaml";

    private static final List<Entry> ENTRIES = List.of(
            new Entry(new Preset("llama-2-7b", PromptMethod.PROMPTEOL, OutputLayer.hiddenStates(27),
                    new TpRange(1, 7), OFFICIAL), "llama27b"),
            new Entry(new Preset("llama-2-13b", PromptMethod.PRETENDED_COT, OutputLayer.hiddenStates(-2),
                    new TpRange(1, 7), OFFICIAL), "llama213b"),
            new Entry(new Preset("llama-3-8b", PromptMethod.PRETENDED_COT, OutputLayer.hiddenStates(-2),
                    new TpRange(1, 3), OFFICIAL), "llama38b", "llama318b"),
            new Entry(new Preset("qwen2-7b", PromptMethod.PRETENDED_COT, OutputLayer.hiddenStates(-2),
                    new TpRange(1, 6), OFFICIAL), "qwen27b"),
            new Entry(new Preset("gemma2-9b", PromptMethod.PRETENDED_COT, OutputLayer.hiddenStates(-2),
                    new TpRange(1, 6), OFFICIAL), "gemma29b"));

    /** Qwen3 (dense) sizes by their layer counts (config.json's num_hidden_layers of each published size). */
    private static final List<Entry> DEPTH_RULE = List.of(
            depthRule("qwen3-0.6b", 28, "qwen306b"),
            depthRule("qwen3-1.7b", 28, "qwen317b"),
            depthRule("qwen3-4b", 36, "qwen34b"),
            depthRule("qwen3-8b", 36, "qwen38b"),
            depthRule("qwen3-14b", 40, "qwen314b"),
            depthRule("qwen3-32b", 64, "qwen332b"));

    private static final String EMBEDDER = "the model's sentence-transformers folder";

    /** Trained decoder embedders, matched before the base models (gte-Qwen2-7B must not find qwen2-7b). */
    private static final List<Entry> EMBEDDERS = List.of(
            embedder("qwen3-embedding", "qwen3embedding"),
            embedder("e5-mistral", "e5mistral"),
            embedder("sfr-embedding-mistral", "sfrembeddingmistral"),
            embedder("linq-embed-mistral", "linqembedmistral"),
            embedder("gte-qwen2", "gteqwen2"),
            embedder("stella", "stellaen"),
            embedder("bge-multilingual-gemma2", "bgemultilingualgemma2"));

    private record Entry(Preset preset, String... keys) {
    }

    private static Entry embedder(String name, String key) {
        return new Entry(new Preset(name, null, OutputLayer.last(), null, EMBEDDER), key);
    }

    /**
     * @return the preset of a sentence-transformers folder that no known id names: its own head and prompts, the
     *     last layer, no Token Prepending
     */
    public static Preset sentenceTransformers() {
        return new Preset("sentence-transformers", null, OutputLayer.last(), null, EMBEDDER);
    }

    /** @return the presets of the trained embedders recognised by id */
    public static List<Preset> embedders() {
        return EMBEDDERS.stream().map(Entry::preset).toList();
    }

    private static Entry depthRule(String name, int layers, String key) {
        Preset rule = defaultFor(layers);
        return new Entry(new Preset(name, rule.method(), rule.outputLayer(), rule.tp(),
                "default depth rule for " + layers + " layers"), key);
    }

    private static List<Entry> entries() {
        List<Entry> all = new ArrayList<>(EMBEDDERS);
        all.addAll(ENTRIES);
        all.addAll(DEPTH_RULE);
        return all;
    }

    private Presets() {
    }

    /** @return the official presets */
    public static List<Preset> all() {
        return ENTRIES.stream().map(Entry::preset).toList();
    }

    /** @return presets of families the paper did not run, by the default depth rule (Qwen3 sizes) */
    public static List<Preset> byDepthRule() {
        return DEPTH_RULE.stream().map(Entry::preset).toList();
    }

    /**
     * @param name a preset name such as {@code llama-2-7b} (case and punctuation ignored)
     * @return the preset
     * @throws IllegalArgumentException for an unknown name
     */
    public static Preset byName(String name) {
        String key = key(name);
        for (Entry e : entries()) {
            if (key(e.preset().name()).equals(key)) {
                return e.preset();
            }
        }
        throw new IllegalArgumentException("unknown preset '" + name + "' (known: "
                + String.join(", ", entries().stream().map(e -> e.preset().name()).toList()) + ")");
    }

    /**
     * Finds the preset of a model id or path, such as {@code meta-llama/Llama-2-7b-hf} or
     * {@code Qwen/Qwen2-7B-Instruct}: the id's last path element, lower-cased and without punctuation, must
     * contain the preset's key ({@code llama27b}, {@code qwen27b}, ...).
     *
     * @param modelId a model id or path
     * @return the matching preset, if any
     */
    public static Optional<Preset> forModel(String modelId) {
        String id = modelId.replace('\\', '/');
        String last = id.substring(id.lastIndexOf('/') + 1);
        String key = key(last.isEmpty() ? id : last);
        for (Entry e : entries()) {
            for (String k : e.keys()) {
                if (key.contains(k)) {
                    return Optional.of(e.preset());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The default for a model without a preset: PromptEOL with Llama-2-7B's proportions, TP over
     * {@code 1..round(7L/32)} (at least one layer) and output {@code hidden_states[round(27L/32)]}.
     *
     * @param numLayers the model's decoder layers L
     * @return the default preset
     */
    public static Preset defaultFor(int numLayers) {
        int exit = Math.max(2, Math.round(numLayers * 7f / 32f));
        int output = Math.max(exit, Math.round(numLayers * 27f / 32f));
        return new Preset("default", PromptMethod.PROMPTEOL, OutputLayer.hiddenStates(Math.min(output, numLayers)),
                new TpRange(1, exit), "Llama-2-7B's settings scaled to " + numLayers + " layers");
    }

    private static String key(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
