package io.github.tokenprepending.cli;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.SentenceEncoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tp search}: the sentences of a file closest to a query. */
@Command(name = "search", abbreviateSynopsis = true,
        customSynopsis = "tp search --corpus FILE [OPTIONS] QUERY...",
        description = {"Rank the lines of a corpus file by cosine similarity to a query.",
            "",
            "Prints the best K lines with their scores and line numbers; blank lines are skipped."})
final class SearchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "UTF-8 text, one document per"
            + " line")
    Path corpus;

    @Option(names = {"-k", "--top-k"}, paramLabel = "K", defaultValue = "5", description = "results to print"
            + " (default 5)")
    int topK;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "the query (words are joined by spaces)")
    List<String> query;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw new ParameterException(spec.commandLine(), "--top-k must be at least 1, was " + topK);
        }
        options.validate(); // a bad option is a usage error (exit 2) before the corpus is read
        List<String> lines = InputLines.read(corpus);
        List<Integer> lineNumbers = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                lineNumbers.add(i + 1);
                docs.add(lines.get(i));
            }
        }
        if (docs.isEmpty()) {
            throw new IllegalArgumentException(corpus + " has no non-blank lines to search");
        }
        String q = String.join(" ", query);
        try (SentenceEncoder encoder = options.open()) {
            // a trained embedder embeds the query with its query prompt and the lines with its document prompt,
            // unless --prompt-name picks one for both
            List<String> named = encoder.config().promptName() == null ? encoder.promptNames() : List.of();
            String queryPrompt = named.contains("query") ? "query" : null;
            String documentPrompt = queryPrompt == null ? null
                    : named.contains("document") ? "document" : named.contains("passage") ? "passage" : null;
            List<float[]> index = encoder.embed(docs, documentPrompt, TerminalProgress.embedding("index"));
            float[] qv = encoder.embed(q, queryPrompt);
            double[] scores = index.stream().mapToDouble(d -> Cosine.similarity(qv, d)).toArray();
            List<Integer> ranked = IntStream.range(0, docs.size()).boxed()
                    .sorted(Comparator.comparingDouble((Integer i) -> -scores[i])).limit(topK).toList();
            System.out.println("query: " + q);
            for (int r = 0; r < ranked.size(); r++) {
                int i = ranked.get(r);
                System.out.printf(Locale.ROOT, "%2d. %.4f  line %d: %s%n", r + 1, scores[i], lineNumbers.get(i),
                        docs.get(i));
            }
        }
        return 0;
    }
}
