package io.github.tokenprepending.cli;

import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.eval.StsEvaluator;
import io.github.tokenprepending.eval.StsReport;
import io.github.tokenprepending.eval.StsTable;
import io.github.tokenprepending.eval.StsTask;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tp sts}: the paper's STS evaluation, vanilla and Token Prepending side by side. */
@Command(name = "sts", abbreviateSynopsis = true,
        customSynopsis = "tp sts --data DIR [OPTIONS]",
        description = {"Evaluate on the STS benchmarks and print the paper's table (Spearman x 100).",
            "",
            "Runs STS12-16, STS-B and SICK-R from a SentEval data directory: one row for the plain prompt read at"
                    + " hidden_states[-1] (the paper's baseline) and one for the Token Prepending settings in use."})
final class StsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "SentEval's data/downstream directory (STS/STS12-en-test .., SICK), or a directory holding"
                    + " STS12-en-test .. STS16-en-test, STSBenchmark and SICK side by side")
    Path data;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "tasks to run, comma-separated (default: all seven): STS12, STS13, STS14, STS15, STS16,"
                    + " STS-B, SICK-R")
    List<String> tasks;

    @Option(names = "--markdown", description = "print the table as Markdown")
    boolean markdown;

    @Option(names = "--tp-only", description = "skip the vanilla row")
    boolean tpOnly;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        List<StsTask> selected;
        try {
            selected = tasks == null ? Arrays.asList(StsTask.values()) : tasks.stream().map(StsTask::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        for (StsTask task : selected) {
            task.load(data); // read and check the data before loading the model, which can take minutes
        }
        // the vanilla baseline reads hidden_states[-1]: load every layer for it, not only up to the TP output layer
        try (SentenceEncoder encoder = options.open(b -> {
            if (!tpOnly) {
                b.loadLayersFor(OutputLayer.last());
            }
        })) {
            TpConfig config = encoder.config();
            String method = label(config.prompts().name());
            System.err.println("model: " + options.modelName() + ", " + SimilarityCommand.describe(encoder));
            StsTable table = new StsTable();
            if (!tpOnly && config.tp() != null) {
                try (SentenceEncoder baseline = encoder.variant(c -> c.vanilla().outputLayer(OutputLayer.last()))) {
                    table.add(method, run(baseline, selected, method));
                }
            }
            String label = config.tp() == null ? method : method + " + TP";
            table.add(label, run(encoder, selected, label));
            System.out.println(markdown ? table.toMarkdown() : table.toText());
        }
        return 0;
    }

    private StsReport run(SentenceEncoder encoder, List<StsTask> selected, String label) throws Exception {
        long start = System.nanoTime();
        StsReport report = new StsEvaluator(s -> encoder.embed(s, TerminalProgress.embedding(label)))
                .evaluate(data, selected);
        System.err.printf(Locale.ROOT, "%s: %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        return report;
    }

    static String label(String prompt) {
        switch (prompt) {
            case "prompteol": return "PromptEOL";
            case "cot": return "Pretended CoT";
            case "ke": return "Knowledge Enhancement";
            case "metaeol": return "MetaEOL";
            default: return prompt;
        }
    }
}
