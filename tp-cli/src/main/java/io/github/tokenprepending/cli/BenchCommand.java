package io.github.tokenprepending.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.EncodingStats;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.Presets;
import io.github.tokenprepending.PromptMethod;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.bench.BenchModels;
import io.github.tokenprepending.bench.SyntheticModels;
import io.github.tokenprepending.djl.CpuFeatures;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.spi.LayerwiseModel;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tp bench}: throughput of vanilla against Token Prepending. By default PromptEOL in four modes (vanilla full
 * depth, vanilla at the TP output layer, TP, TP with the prefix cache) over 128 sentences; {@code --all} adds the
 * other prompt methods. Per configuration one warm-up pass, then timed passes round-robin over the configurations.
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
                    + " settings."})
final class BenchCommand implements Callable<Integer> {
    private static final List<String> MODES = List.of("full", "early", "tp", "tp-cache");

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

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Mixin
    EncoderOptions options;

    /** One measured configuration. */
    record Result(String method, String mode, String outputLayer, boolean prefixCache, double median, double min,
            double max, double tokensPerSecond, double computedPerSentence, double msPerBatch, double paddingFraction,
            long peakHeapMb, long residentMb) {
        /** @return (max - min) / median of the timed passes' rates */
        double spread() {
            return (max - min) / median;
        }
    }

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
        List<PromptMethod> selected;
        try {
            selected = all ? Arrays.asList(PromptMethod.values()) : methods == null ? List.of(PromptMethod.PROMPTEOL)
                    : methods.stream().map(PromptMethod::parse).toList();
        } catch (IllegalArgumentException e) {
            throw usage("--methods: " + e.getMessage());
        }
        DjlRuntime.setThreads(options.modelOptions().effectiveThreads());
        List<String> input = sentences == null ? BenchModels.stsbSentences() : InputLines.read(sentences);
        if (input.isEmpty()) {
            throw usage("--sentences " + sentences + " is empty");
        }
        input = input.subList(0, Math.min(count, input.size()));
        String modelName;
        List<Result> results = new ArrayList<>();
        double gflops;
        List<String> chosenModes = modes == null ? MODES : modes;
        for (String mode : chosenModes) {
            if (!MODES.contains(mode)) {
                throw usage("--modes: unknown mode '" + mode + "' (modes: " + String.join(", ", MODES) + ")");
            }
        }
        boolean fullDepth = chosenModes.contains("full");
        Load load;
        try (Bench bench = open(fullDepth)) {
            load = bench.load;
            gflops = DjlRuntime.sgemmGflops(1024, 20);
            modelName = bench.name;
            SentenceEncoder encoder = bench.encoder;
            int layers = encoder.modelInfo().numLayers();
            TpConfig base = encoder.config();
            OutputLayer outputLayer = base.outputLayer();
            TpRange range = base.tp();
            String early = outputLayer + " (" + outputLayer.layersToRun(layers) + " layers)";
            System.err.printf(Locale.ROOT, "bench: %d method%s x %d mode%s, %d sentences, 1 warm-up + %d timed"
                    + " passes each%n", selected.size(), selected.size() == 1 ? "" : "s", chosenModes.size(),
                    chosenModes.size() == 1 ? "" : "s", input.size(), passes);
            Progress progress = new Progress(chosenModes.size() * selected.size());
            for (PromptMethod method : selected) {
                List<Config> configs = new ArrayList<>();
                if (fullDepth) {
                    configs.add(new Config(c -> c.prompt(method).vanilla().outputLayer(OutputLayer.last())
                            .prefixCache(false), false, "vanilla", "-1 (" + layers + " layers)"));
                }
                if (chosenModes.contains("early")) {
                    configs.add(new Config(c -> c.prompt(method).vanilla().outputLayer(outputLayer).prefixCache(false),
                            false, "vanilla", early));
                }
                if (chosenModes.contains("tp")) {
                    configs.add(new Config(c -> c.prompt(method).tp(range).outputLayer(outputLayer).prefixCache(false),
                            false, "tp", early));
                }
                if (chosenModes.contains("tp-cache")) {
                    configs.add(new Config(c -> c.prompt(method).tp(range).outputLayer(outputLayer).prefixCache(true),
                            true, "tp", early));
                }
                results.addAll(measure(encoder, method, input, progress, configs));
            }
        }
        double[] overhead = BenchModels.callOverheadMicros();
        if (json) {
            printJson(modelName, input.size(), gflops, overhead, load, results);
        } else {
            printTable(modelName, input.size(), gflops, overhead, load, chosenModes.size() == MODES.size(), results);
        }
        return 0;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /**
     * How loading went: seconds, peak resident memory while loading (VmHWM) and resident memory after it (VmRSS), in
     * MB, the decoder layers loaded, and the dtypes.
     */
    record Load(double seconds, long peakResidentMb, long residentMb, int layers, String weightsDtype,
            String computeDtype) {
    }

    /** The model under test, with the settings it starts from (TP range and output layer included). */
    private record Bench(String name, SentenceEncoder encoder, Load load) implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
        }
    }

    private Bench open(boolean fullDepth) throws IOException {
        resetPeaks();
        long start = System.nanoTime();
        if (synthetic == null) {
            SentenceEncoder encoder = options.open(b -> {
                if (fullDepth) {
                    b.loadLayersFor(OutputLayer.last());
                }
            });
            return new Bench(options.modelName(), encoder, loaded(start, encoder, null));
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
        return new Bench("synthetic " + synthetic, encoder, loaded(start, encoder, (DjlLayerwiseModel) model));
    }

    private static Load loaded(long start, SentenceEncoder encoder, DjlLayerwiseModel model) {
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Load(seconds, residentMb(), currentResidentMb(), model == null ? -1 : model.loadedLayers(),
                model == null ? "" : model.weightsDtype().toString(), encoder.modelInfo().dtype().toString());
    }

    /** Counts configurations and estimates the time left from the passes so far. */
    private final class Progress {
        private final int total;
        private double warmUpSeconds;
        private int done;

        Progress(int total) {
            this.total = total;
        }

        /** Prints one line once a configuration's warm-up pass ran. */
        void warmedUp(PromptMethod method, Config config, double seconds) {
            done++;
            warmUpSeconds += seconds;
            // a timed pass costs about a warm-up pass: the warm-ups left, and every configuration's timed passes
            double perPass = warmUpSeconds / done;
            double left = perPass * (total - done) + perPass * passes * total;
            System.err.printf(Locale.ROOT, "[%d/%d] %-9s %-7s output layer %-16s cache %-3s warm-up %.1f s;"
                    + " about %.0f s to go%n", done, total, method.id(), config.mode(), config.layer(),
                    config.prefixCache() ? "yes" : "no", seconds, left);
        }
    }

    /** One configuration of a method: its settings and how the table names it. */
    private record Config(Consumer<TpConfig.Builder> settings, boolean prefixCache, String mode, String layer) {
    }

    /**
     * Measures a method's configurations: each one's warm-up pass alone (its peak heap and resident memory), then
     * the timed passes round-robin over the configurations, so that a machine whose speed drifts (shared cores,
     * turbo) affects all of them alike and their ratios stay fair.
     */
    private List<Result> measure(SentenceEncoder base, PromptMethod method, List<String> input, Progress progress,
            List<Config> configs) {
        List<SentenceEncoder> encoders = new ArrayList<>();
        try {
            long[] heap = new long[configs.size()];
            long[] resident = new long[configs.size()];
            for (int c = 0; c < configs.size(); c++) {
                SentenceEncoder encoder = base.variant(configs.get(c).settings());
                encoders.add(encoder);
                resetPeaks();
                long start = System.nanoTime();
                encoder.embed(input);
                progress.warmedUp(method, configs.get(c), (System.nanoTime() - start) / 1e9);
                heap[c] = peakHeapMb();
                resident[c] = residentMb();
                encoder.resetStats();
            }
            double[][] rates = new double[configs.size()][passes];
            double[] seconds = new double[configs.size()];
            for (int p = 0; p < passes; p++) {
                for (int c = 0; c < configs.size(); c++) {
                    long start = System.nanoTime();
                    encoders.get(c).embed(input);
                    double s = (System.nanoTime() - start) / 1e9;
                    seconds[c] += s;
                    rates[c][p] = input.size() / s;
                }
            }
            List<Result> results = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                EncodingStats stats = encoders.get(c).stats();
                double[] sorted = rates[c].clone();
                Arrays.sort(sorted);
                Config config = configs.get(c);
                Result r = new Result(method.id(), config.mode(), config.layer(), config.prefixCache(),
                        sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], stats.tokens() / seconds[c],
                        (double) stats.computedTokens() / ((long) passes * input.size()),
                        1000 * seconds[c] / stats.batches(), stats.paddingFraction(), heap[c], resident[c]);
                results.add(r);
            }
            return results;
        } finally {
            encoders.forEach(SentenceEncoder::close);
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException e) {
            // not Linux, or not allowed: VmHWM then reports the process's peak
        }
    }

    private static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    /** @return peak resident memory (VmHWM) in MB, or -1 where /proc is unavailable */
    private static long residentMb() {
        return status("VmHWM:");
    }

    /** @return resident memory now (VmRSS) in MB, or -1 where /proc is unavailable */
    private static long currentResidentMb() {
        return status("VmRSS:");
    }

    private static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private void printTable(String model, int n, double gflops, double[] overhead, Load load, boolean allModes,
            List<Result> results) {
        System.out.printf(Locale.ROOT, "model: %s%nsentences: %d, timed passes: %d, threads: %d, sgemm: %.0f GFLOP/s"
                + " (DJL libtorch, 1024^3 fp32)%ncall overhead: %.0f us per layer call, %.0f us per pass for setup and"
                + " pooling (tiny model, 3 tokens)%n", model, n, passes, DjlRuntime.threads(), gflops, overhead[0],
                overhead[1]);
        System.out.printf(Locale.ROOT, "load: %.1f s, peak RSS %d MB while loading, %d MB resident after;"
                + " %s layers loaded, %s weights, %s compute; CPU bf16 instructions: %s%n%n", load.seconds(),
                load.peakResidentMb(), load.residentMb(), load.layers() < 0 ? "needed" : load.layers(),
                load.weightsDtype().isEmpty() ? "checkpoint" : load.weightsDtype(), load.computeDtype(),
                CpuFeatures.bf16Support());
        System.out.printf(Locale.ROOT, "%-9s %-8s %-16s %-6s %11s %7s %15s %9s %8s %8s %7s%n", "method", "mode",
                "output layer", "cache", "sentences/s", "spread", "tokens/sentence", "ms/batch", "padding", "heap MB",
                "RSS MB");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-9s %-8s %-16s %-6s %11.1f %6.0f%% %15.1f %9.1f %7.1f%% %8d %7d%n",
                    r.method(), r.mode(), r.outputLayer(), r.prefixCache() ? "yes" : "no", r.median(),
                    100 * r.spread(), r.computedPerSentence(), r.msPerBatch(), 100 * r.paddingFraction(),
                    r.peakHeapMb(), r.residentMb());
        }
        System.out.printf(Locale.ROOT, "%nsentences/s: median of the %d timed passes. spread: (fastest - slowest) /"
                + " median of those passes; above ~20%% the machine was busy (rerun, or lower --threads).%n"
                + "tokens/sentence: tokens the model computed per sentence (prompt tokens minus those reused from the"
                + " prefix cache). ms/batch: time per batch. padding: share of padded positions. heap MB, RSS MB:"
                + " peak Java heap and peak resident memory during the warm-up pass.%n%n", passes);
        for (int i = 0; allModes && i + 3 < results.size(); i += 4) {
            Result full = results.get(i);
            Result early = results.get(i + 1);
            Result tp = results.get(i + 2);
            Result cached = results.get(i + 3);
            System.out.printf(Locale.ROOT, "%-9s TP vs vanilla at the same output layer: %.2fx the sentences/s,"
                    + " computing %.2fx the tokens per sentence; TP with prefix cache vs vanilla at full depth:"
                    + " %.2fx the sentences/s%n", tp.method(), tp.median() / early.median(),
                    tp.computedPerSentence() / early.computedPerSentence(), cached.median() / full.median());
        }
        Result eol = results.stream().filter(r -> r.method().equals("prompteol") && r.prefixCache()).findFirst()
                .orElse(null);
        if (eol != null) {
            for (Result r : results) {
                if (r.prefixCache() && !r.method().equals("prompteol")) {
                    System.out.printf(Locale.ROOT, "%-9s TP with prefix cache: %.2fx PromptEOL's sentences/s,"
                            + " computing %.2fx the tokens per sentence%n", r.method(), r.median() / eol.median(),
                            r.computedPerSentence() / eol.computedPerSentence());
                }
            }
        }
    }

    private void printJson(String model, int n, double gflops, double[] overhead, Load load, List<Result> results)
            throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model);
        root.put("sentences", n);
        root.put("passes", passes);
        root.put("threads", DjlRuntime.threads());
        root.put("sgemmGflops", gflops);
        root.put("layerCallOverheadMicros", overhead[0]);
        root.put("passSetupMicros", overhead[1]);
        root.put("loadSeconds", load.seconds());
        root.put("loadPeakResidentMb", load.peakResidentMb());
        root.put("residentAfterLoadMb", load.residentMb());
        root.put("cpuBf16", CpuFeatures.bf16Support());
        ArrayNode array = root.putArray("results");
        for (Result r : results) {
            ObjectNode o = array.addObject();
            o.put("method", r.method());
            o.put("mode", r.mode());
            o.put("outputLayer", r.outputLayer());
            o.put("prefixCache", r.prefixCache());
            o.put("sentencesPerSecond", r.median());
            o.put("sentencesPerSecondMin", r.min());
            o.put("sentencesPerSecondMax", r.max());
            o.put("spread", r.spread());
            o.put("tokensPerSecond", r.tokensPerSecond());
            o.put("computedTokensPerSentence", r.computedPerSentence());
            o.put("msPerBatch", r.msPerBatch());
            o.put("paddingFraction", r.paddingFraction());
            o.put("peakHeapMb", r.peakHeapMb());
            o.put("peakResidentMb", r.residentMb());
        }
        System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    }
}
