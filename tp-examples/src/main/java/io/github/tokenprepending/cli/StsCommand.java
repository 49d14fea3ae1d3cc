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
import picocli.CommandLine.Option;

/** {@code tp sts}: the paper's STS evaluation, vanilla and Token Prepending side by side. */
@Command(name = "sts", mixinStandardHelpOptions = true,
        description = {"Evaluate on STS12-16, STS-B and SICK-R (SentEval layout) and print the paper's table:",
            "the vanilla prompt at hidden_states[-1] and the Token Prepending settings, side by side."})
final class StsCommand implements Callable<Integer> {
    @Mixin
    EncoderOptions options;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "SentEval data root with STS12-en-test .. STS16-en-test, STSBenchmark, SICK")
    Path data;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "tasks to run (default: all seven): STS12, STS13, STS14, STS15, STS16, STS-B, SICK-R")
    List<String> tasks;

    @Option(names = "--markdown", description = "print the table as Markdown")
    boolean markdown;

    @Option(names = "--tp-only", description = "skip the vanilla row")
    boolean tpOnly;

    @Override
    public Integer call() throws Exception {
        List<StsTask> selected = tasks == null ? Arrays.asList(StsTask.values())
                : tasks.stream().map(StsTask::parse).toList();
        try (SentenceEncoder encoder = options.open()) {
            TpConfig config = encoder.config();
            String method = label(config.prompts().name());
            System.err.println("model: " + options.modelName() + ", " + SimilarityCommand.describe(encoder));
            StsTable table = new StsTable();
            if (!tpOnly && config.tp() != null) {
                TpConfig vanilla = config.toBuilder().vanilla().outputLayer(OutputLayer.last()).build();
                try (TokenPrependingEncoder baseline = new TokenPrependingEncoder(encoder.encoder().model(),
                        vanilla)) {
                    table.add(method, run(baseline, selected, method));
                }
            }
            String label = config.tp() == null ? method : method + " + TP";
            table.add(label, run(encoder.encoder(), selected, label));
            System.out.println(markdown ? table.toMarkdown() : table.toText());
        }
        return 0;
    }

    private StsReport run(TokenPrependingEncoder encoder, List<StsTask> selected, String label) throws Exception {
        long start = System.nanoTime();
        StsReport report = new StsEvaluator(s -> encoder.embed(s, TerminalProgress.embedding(label)))
                .evaluate(data, selected);
        System.err.printf(Locale.ROOT, "%s: %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        return report;
    }

    private static String label(String prompt) {
        switch (prompt) {
            case "prompteol": return "PromptEOL";
            case "cot": return "Pretended CoT";
            case "ke": return "Knowledge Enhancement";
            case "metaeol": return "MetaEOL";
            default: return prompt;
        }
    }
}
