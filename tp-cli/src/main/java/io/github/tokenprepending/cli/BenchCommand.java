package io.github.tokenprepending.cli;

import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.Presets;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.bench.BenchMode;
import io.github.tokenprepending.bench.BenchModels;
import io.github.tokenprepending.bench.BenchReport;
import io.github.tokenprepending.bench.Benchmark;
import io.github.tokenprepending.bench.LoadStats;
import io.github.tokenprepending.bench.Memory;
import io.github.tokenprepending.bench.SyntheticModels;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.spi.LayerwiseModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tp bench}: throughput of vanilla against Token Prepending. By default PromptEOL in four modes (vanilla full
 * depth, vanilla at the TP output layer, TP, TP with the prefix cache) over 128 sentences; {@code --all} adds the
 * other prompt methods. This command reads the options and opens the model; tp-bench's {@link Benchmark} measures.
 */
@Command(name = "bench", abbreviateSynopsis = true,
        description = {"Measure embedding throughput, vanilla against Token Prepending.",
            "",
            "By default PromptEOL in four modes: vanilla at full depth, vanilla at the TP output layer, TP, and TP with"
                    + " the prefix cache, over the first 128 of the bundled STS-B sentences; one warm-up pass per"
                    + " mode, then 3 timed passes: 16 passes of 128 sentences, about 16 times one warm-up pass (76 s"
                    + " on the bundled toy model on a busy 2-core VM). --all adds Pretended CoT, Knowledge Enhancement"
                    + " and MetaEOL (MetaEOL alone is about 10x PromptEOL's work). A line per configuration on stderr"
                    + " shows the progress and the time to go. --tp and --output-layer override the preset's"
                    + " settings. On a trained embedder, --prompt-names query,document measures its named prompts"
                    + " under its own settings instead."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--synthetic", paramLabel = "SPEC",
            description = "random-weight model instead of --model, e.g. llama:hidden=512,layers=8,heads=8,"
                    + "kv-heads=8,intermediate=1376,vocab=32001 (seeded; with the bundled Llama-2 tokenizer)")
    String synthetic;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1234",
            description = "weight seed of --synthetic (default 1234)")
    long seed;

    @Option(names = "--sentences", paramLabel = "FILE",
            description = "one sentence per line (default: the first 512 sentence-A entries of the STS-B test set,"
                    + " bundled)")
    Path sentences;

    @Option(names = "--count", paramLabel = "N", defaultValue = "128",
            description = "sentences per pass: the first N of the input (default 128)")
    int count;

    @Option(names = "--passes", paramLabel = "N", defaultValue = "3",
            description = "timed passes per configuration, at least 3 (default 3)")
    int passes;

    @Option(names = "--all", description = "every prompt method (prompteol,cot,ke,metaeol), not only PromptEOL")
    boolean all;

    @Option(names = "--methods", split = ",", paramLabel = "M",
            description = "prompt methods, comma-separated (default: prompteol)")
    List<String> methods;

    @Option(names = "--modes", split = ",", paramLabel = "MODE",
            description = "modes, comma-separated (default: full,early,tp,tp-cache): vanilla at full depth, vanilla"
                    + " at the output layer, TP, TP with the prefix cache; only the layers they need are loaded")
    List<String> modes;

    @Option(names = "--prompt-names", split = ",", paramLabel = "NAME",
            description = "a trained embedder's named prompts instead of the methods and modes, comma-separated, e.g."
                    + " query,document: a row per name (mode trained), under the model's own pooling and head")
    List<String> promptNames;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        EncoderSettings s = options.settings();
        if (passes < 3) {
            throw usage("--passes must be at least 3 (the median of the timed passes is reported)");
        }
        if (count < 1) {
            throw usage("--count must be at least 1");
        }
        if (Boolean.TRUE.equals(s.get(EncoderSettings.VANILLA))) {
            throw usage("bench measures vanilla and Token Prepending side by side: drop --vanilla");
        }
        if (s.get(EncoderSettings.PROMPT) != null) {
            throw usage("bench runs each prompt method in turn: choose them with --methods or --all, not --prompt");
        }
        if (all && methods != null) {
            throw usage("--all runs every prompt method: drop --methods");
        }
        if (synthetic != null && (s.model() != null || s.get(EncoderSettings.REVISION) != null
                || s.get(EncoderSettings.PRESET) != null)) {
            throw usage("--synthetic replaces the model: drop --model, --revision and --preset");
        }
        if (promptNames != null && (all || methods != null || modes != null)) {
            throw usage("--prompt-names measures a trained embedder's named prompts under its own settings:"
                    + " drop --methods, --all and --modes");
        }
        List<PromptMethod> selected;
        try {
            selected = all ? Arrays.asList(PromptMethod.values()) : methods == null ? List.of(PromptMethod.PROMPTEOL)
                    : methods.stream().map(PromptMethod::parse).toList();
        } catch (IllegalArgumentException e) {
            throw usage("--methods: " + e.getMessage());
        }
        List<BenchMode> chosenModes;
        try {
            chosenModes = modes == null ? BenchMode.METHOD_MODES : BenchMode.parse(modes);
        } catch (IllegalArgumentException e) {
            throw usage("--modes: " + e.getMessage());
        }
        DjlRuntime.setThreads(options.modelOptions().effectiveThreads());
        List<String> input = sentences == null ? BenchModels.stsbSentences() : InputLines.read(sentences);
        if (input.isEmpty()) {
            throw usage("--sentences " + sentences + " is empty");
        }
        input = input.subList(0, Math.min(count, input.size()));
        Benchmark bench = promptNames == null ? new Benchmark(selected, chosenModes, input, passes, System.err)
                : Benchmark.promptNames(promptNames, input, passes, System.err);
        BenchReport report = bench.run(this::open);
        if (json) {
            report.printJson(System.out);
        } else {
            report.printTable(System.out);
        }
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** The model the options name, or the synthetic one, with how loading went. */
    private Benchmark.Subject open(boolean fullDepth) throws IOException {
        Memory.resetPeaks();
        long start = System.nanoTime();
        if (synthetic == null) {
            SentenceEncoder encoder = options.open(b -> {
                if (fullDepth) {
                    b.loadLayersFor(OutputLayer.last());
                }
            });
            return new Benchmark.Subject(options.modelName(), encoder, LoadStats.measure(start, encoder, null));
        }
        int layers;
        try {
            SentenceEncoder.Builder settings = options.settings().applyTo(SentenceEncoder.builder());
            if (fullDepth) {
                settings.loadLayersFor(OutputLayer.last());
            }
            int total = SyntheticModels.parse(synthetic).numLayers();
            layers = settings.layersToLoad(total, Presets.defaultFor(total));
        } catch (IllegalArgumentException e) {
            throw usage("--synthetic: " + e.getMessage());
        }
        LayerwiseModel model;
        try {
            model = BenchModels.synthetic(synthetic, options.modelOptions().withLayers(layers), seed);
        } catch (IllegalArgumentException e) {
            throw usage("--synthetic: " + e.getMessage());
        }
        SentenceEncoder encoder = options.open(model);
        return new Benchmark.Subject("synthetic " + synthetic, encoder,
                LoadStats.measure(start, encoder, (DjlLayerwiseModel) model));
    }
}
