package io.github.tokenprepending.bench;

import io.github.tokenprepending.EncodingStats;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.prompt.PromptMethod;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The throughput harness behind {@code tp bench}: each prompt method in each {@link BenchMode} over the same
 * sentences, or each named prompt of a trained embedder ({@link #promptNames}). Per configuration one warm-up pass
 * (its peak memory measured alone), then the timed passes round-robin over a prompt's configurations, so that a
 * machine whose speed drifts (shared cores, turbo) affects all of them alike and their ratios stay fair. A progress
 * line per configuration goes to the progress stream.
 */
public final class Benchmark {
    private final List<Workload> workloads;
    private final List<BenchMode> modes;
    private final List<String> sentences;
    private final int passes;
    private final PrintStream progress;

    /** The model under test, as its caller opened it, with the settings the modes start from. */
    public record Subject(String name, SentenceEncoder encoder, LoadStats load) implements AutoCloseable {
        @Override
        public void close() {
            encoder.close();
        }
    }

    /** Opens the model under test. */
    @FunctionalInterface
    public interface Opener {
        /**
         * @param fullDepth whether every layer must be loaded ({@link BenchMode#FULL} is measured)
         * @return the model, its name and how loading went
         * @throws IOException when the model cannot be read
         */
        Subject open(boolean fullDepth) throws IOException;
    }

    /**
     * @param methods prompt methods, measured in this order
     * @param modes modes, each once ({@link BenchMode#parse})
     * @param sentences the sentences of every pass
     * @param passes timed passes per configuration, at least 3
     * @param progress where the progress lines go
     */
    public Benchmark(List<PromptMethod> methods, List<BenchMode> modes, List<String> sentences, int passes,
            PrintStream progress) {
        this(sentences, passes, progress, modes, methods.stream().map(m -> new Workload(m.id(), m, null)).toList());
        if (!BenchMode.METHOD_MODES.containsAll(modes)) {
            throw new IllegalArgumentException("prompt methods run in " + BenchMode.METHOD_MODES + ", got " + modes);
        }
    }

    /**
     * A bench of a trained embedder's named prompts: a row per name ({@link BenchMode#TRAINED}), each embedding the
     * sentences with that prompt under the model's own settings (its pooling, head and prompts).
     *
     * @param promptNames the prompt names, measured in this order; an unknown one fails {@link #run}
     * @param sentences the sentences of every pass
     * @param passes timed passes per name, at least 3
     * @param progress where the progress lines go
     * @return the bench
     */
    public static Benchmark promptNames(List<String> promptNames, List<String> sentences, int passes,
            PrintStream progress) {
        return new Benchmark(sentences, passes, progress, List.of(BenchMode.TRAINED),
                promptNames.stream().map(n -> new Workload(n, null, n)).toList());
    }

    private Benchmark(List<String> sentences, int passes, PrintStream progress, List<BenchMode> modes,
            List<Workload> workloads) {
        if (passes < 3) {
            throw new IllegalArgumentException("passes must be at least 3, got " + passes);
        }
        if (workloads.isEmpty() || modes.isEmpty() || sentences.isEmpty()) {
            throw new IllegalArgumentException("a bench needs prompts (methods or names), modes and sentences");
        }
        if (workloads.stream().map(Workload::label).distinct().count() != workloads.size()) {
            throw new IllegalArgumentException("each prompt is measured once, got "
                    + workloads.stream().map(Workload::label).toList());
        }
        if (modes.stream().distinct().count() != modes.size()) {
            throw new IllegalArgumentException("each mode is measured once, got " + modes);
        }
        this.workloads = List.copyOf(workloads);
        this.modes = modes.stream().sorted().toList();
        this.sentences = List.copyOf(sentences);
        this.passes = passes;
        this.progress = progress;
    }

    /**
     * Opens the model, measures every (method, mode), closes the model and probes the per-call overhead.
     *
     * @param opener opens the model under test
     * @return the report
     * @throws IOException when the model cannot be read
     */
    public BenchReport run(Opener opener) throws IOException {
        List<BenchResult> results = new ArrayList<>();
        String modelName;
        LoadStats load;
        double gflops;
        try (Subject subject = opener.open(modes.contains(BenchMode.FULL))) {
            load = subject.load();
            gflops = DjlRuntime.sgemmGflops(1024, 20);
            modelName = subject.name();
            SentenceEncoder encoder = subject.encoder();
            int layers = encoder.modelInfo().numLayers();
            TpConfig base = encoder.config();
            OutputLayer outputLayer = base.outputLayer();
            TpRange range = base.tp();
            String early = outputLayer + " (" + outputLayer.layersToRun(layers) + " layers)";
            String full = "-1 (" + layers + " layers)";
            for (Workload workload : workloads) {
                if (workload.promptName() != null) {
                    encoder.checkPromptName(workload.promptName());
                }
            }
            progress.printf(Locale.ROOT, "bench: %d prompt%s x %d mode%s, %d sentences, 1 warm-up + %d timed"
                    + " passes each%n", workloads.size(), workloads.size() == 1 ? "" : "s", modes.size(),
                    modes.size() == 1 ? "" : "s", sentences.size(), passes);
            Progress counter = new Progress(modes.size() * workloads.size());
            for (Workload workload : workloads) {
                List<Config> configs = new ArrayList<>();
                for (BenchMode mode : modes) {
                    configs.add(new Config(mode, mode.settings(workload.method(), range, outputLayer),
                            mode == BenchMode.FULL ? full : early));
                }
                results.addAll(measure(encoder, workload, counter, configs));
            }
        }
        double[] overhead = BenchModels.callOverheadMicros();
        return new BenchReport(modelName, sentences.size(), passes, DjlRuntime.threads(), gflops, overhead[0],
                overhead[1], load, results);
    }

    /**
     * What a row embeds with: a prompt method of a base model (in each mode) or a named prompt of a trained embedder.
     *
     * @param label the method's id or the prompt's name, as the table's method column shows it
     * @param method the prompt method, or null for a named prompt
     * @param promptName the prompt's name, or null for a prompt method
     */
    private record Workload(String label, PromptMethod method, String promptName) {
        List<float[]> embed(SentenceEncoder encoder, List<String> sentences) {
            return promptName == null ? encoder.embed(sentences) : encoder.embed(sentences, promptName);
        }
    }

    /** One configuration of a prompt: its mode, settings and output layer as the table names it. */
    private record Config(BenchMode mode, java.util.function.Consumer<TpConfig.Builder> settings, String layer) {
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
        void warmedUp(Workload workload, Config config, boolean prefixCache, double seconds) {
            done++;
            warmUpSeconds += seconds;
            // a timed pass costs about a warm-up pass: the warm-ups left, and every configuration's timed passes
            double perPass = warmUpSeconds / done;
            double left = perPass * (total - done) + perPass * passes * total;
            progress.printf(Locale.ROOT, "[%d/%d] %-9s %-7s output layer %-16s cache %-3s warm-up %.1f s;"
                    + " about %.0f s to go%n", done, total, workload.label(), config.mode().kind(), config.layer(),
                    prefixCache ? "yes" : "no", seconds, left);
        }
    }

    private List<BenchResult> measure(SentenceEncoder base, Workload workload, Progress counter,
            List<Config> configs) {
        List<SentenceEncoder> encoders = new ArrayList<>();
        try {
            long[] heap = new long[configs.size()];
            long[] resident = new long[configs.size()];
            for (int c = 0; c < configs.size(); c++) {
                SentenceEncoder encoder = base.variant(configs.get(c).settings());
                encoders.add(encoder);
                Memory.resetPeaks();
                long start = System.nanoTime();
                workload.embed(encoder, sentences);
                counter.warmedUp(workload, configs.get(c), encoder.config().prefixCache(),
                        (System.nanoTime() - start) / 1e9);
                heap[c] = Memory.peakHeapMb();
                resident[c] = Memory.peakResidentMb();
                encoder.resetStats();
            }
            double[][] rates = new double[configs.size()][passes];
            double[] seconds = new double[configs.size()];
            for (int p = 0; p < passes; p++) {
                for (int c = 0; c < configs.size(); c++) {
                    long start = System.nanoTime();
                    workload.embed(encoders.get(c), sentences);
                    double s = (System.nanoTime() - start) / 1e9;
                    seconds[c] += s;
                    rates[c][p] = sentences.size() / s;
                }
            }
            List<BenchResult> results = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                EncodingStats stats = encoders.get(c).stats();
                double[] sorted = rates[c].clone();
                Arrays.sort(sorted);
                Config config = configs.get(c);
                results.add(new BenchResult(workload.label(), config.mode(), config.layer(),
                        encoders.get(c).config().prefixCache(), sorted[sorted.length / 2],
                        sorted[0], sorted[sorted.length - 1], stats.tokens() / seconds[c],
                        (double) stats.computedTokens() / ((long) passes * sentences.size()),
                        1000 * seconds[c] / stats.batches(), stats.paddingFraction(), heap[c], resident[c]));
            }
            return results;
        } finally {
            encoders.forEach(SentenceEncoder::close);
        }
    }
}
