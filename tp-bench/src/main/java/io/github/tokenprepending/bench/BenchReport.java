package io.github.tokenprepending.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.djl.CpuFeatures;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@link Benchmark} measured, printed as {@code tp bench}'s table or JSON.
 *
 * @param model the model's name
 * @param sentences sentences per pass
 * @param passes timed passes per configuration
 * @param threads libtorch threads
 * @param sgemmGflops a 1024^3 fp32 matrix product's speed
 * @param layerCallMicros per-call overhead of a layer
 * @param passSetupMicros per-pass overhead of setup and pooling
 * @param load how loading went
 * @param results one per (method, mode), methods in the order measured, modes in {@link BenchMode} order
 */
public record BenchReport(String model, int sentences, int passes, int threads, double sgemmGflops,
        double layerCallMicros, double passSetupMicros, LoadStats load, List<BenchResult> results) {
    public BenchReport {
        results = List.copyOf(results);
    }

    /**
     * @param method a prompt method's id
     * @param mode a mode
     * @return its result, if measured
     */
    public Optional<BenchResult> result(String method, BenchMode mode) {
        return results.stream().filter(r -> r.method().equals(method) && r.mode() == mode).findFirst();
    }

    /** Prints the table, its legend and the ratios between modes and between methods. */
    public void printTable(PrintStream out) {
        out.printf(Locale.ROOT, "model: %s%nsentences: %d, timed passes: %d, threads: %d, sgemm: %.0f GFLOP/s"
                + " (DJL libtorch, 1024^3 fp32)%ncall overhead: %.0f us per layer call, %.0f us per pass for setup and"
                + " pooling (tiny model, 3 tokens)%n", model, sentences, passes, threads, sgemmGflops, layerCallMicros,
                passSetupMicros);
        out.printf(Locale.ROOT, "load: %.1f s, peak RSS %d MB while loading, %d MB resident after;"
                + " %s layers loaded, %s weights, %s compute, %d layers widened to float32; CPU bf16 instructions:"
                + " %s%n%n", load.seconds(), load.peakResidentMb(), load.residentMb(),
                load.layers() < 0 ? "needed" : load.layers(),
                load.weightsDtype().isEmpty() ? "checkpoint" : load.weightsDtype(), load.computeDtype(),
                load.widenedLayers(), CpuFeatures.bf16Support());
        out.printf(Locale.ROOT, "%-9s %-8s %-16s %-6s %11s %7s %15s %9s %8s %8s %7s%n", "method", "mode",
                "output layer", "cache", "sentences/s", "spread", "tokens/sentence", "ms/batch", "padding", "heap MB",
                "RSS MB");
        for (BenchResult r : results) {
            out.printf(Locale.ROOT, "%-9s %-8s %-16s %-6s %11.1f %6.0f%% %15.1f %9.1f %7.1f%% %8d %7d%n",
                    r.method(), r.mode().kind(), r.outputLayer(), r.prefixCache() ? "yes" : "no", r.median(),
                    100 * r.spread(), r.computedPerSentence(), r.msPerBatch(), 100 * r.paddingFraction(),
                    r.peakHeapMb(), r.residentMb());
        }
        out.printf(Locale.ROOT, "%nsentences/s: median of the %d timed passes. spread: (fastest - slowest) /"
                + " median of those passes; above ~20%% the machine was busy (rerun, or lower --threads).%n"
                + "tokens/sentence: tokens the model computed per sentence (prompt tokens minus those reused from the"
                + " prefix cache). ms/batch: time per batch. padding: share of padded positions. heap MB, RSS MB:"
                + " peak Java heap and peak resident memory during the warm-up pass.%n%n", passes);
        for (String method : methods()) {
            Optional<BenchResult> full = result(method, BenchMode.FULL);
            Optional<BenchResult> early = result(method, BenchMode.EARLY);
            Optional<BenchResult> tp = result(method, BenchMode.TP);
            Optional<BenchResult> cached = result(method, BenchMode.TP_CACHE);
            if (full.isPresent() && early.isPresent() && tp.isPresent() && cached.isPresent()) {
                out.printf(Locale.ROOT, "%-9s TP vs vanilla at the same output layer: %.2fx the sentences/s,"
                        + " computing %.2fx the tokens per sentence; TP with prefix cache vs vanilla at full depth:"
                        + " %.2fx the sentences/s%n", method, tp.get().median() / early.get().median(),
                        tp.get().computedPerSentence() / early.get().computedPerSentence(),
                        cached.get().median() / full.get().median());
            }
        }
        result("prompteol", BenchMode.TP_CACHE).ifPresent(eol -> {
            for (BenchResult r : results) {
                if (r.mode() == BenchMode.TP_CACHE && !r.method().equals("prompteol")) {
                    out.printf(Locale.ROOT, "%-9s TP with prefix cache: %.2fx PromptEOL's sentences/s,"
                            + " computing %.2fx the tokens per sentence%n", r.method(), r.median() / eol.median(),
                            r.computedPerSentence() / eol.computedPerSentence());
                }
            }
        });
    }

    /** Prints one pretty-printed JSON object. */
    public void printJson(PrintStream out) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("model", model);
        root.put("sentences", sentences);
        root.put("passes", passes);
        root.put("threads", threads);
        root.put("sgemmGflops", sgemmGflops);
        root.put("layerCallOverheadMicros", layerCallMicros);
        root.put("passSetupMicros", passSetupMicros);
        root.put("loadSeconds", load.seconds());
        root.put("loadPeakResidentMb", load.peakResidentMb());
        root.put("residentAfterLoadMb", load.residentMb());
        root.put("cpuBf16", CpuFeatures.bf16Support());
        ArrayNode array = root.putArray("results");
        for (BenchResult r : results) {
            ObjectNode o = array.addObject();
            o.put("method", r.method());
            o.put("mode", r.mode().kind());
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
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> methods() {
        return results.stream().map(BenchResult::method).distinct().toList();
    }
}
