package io.github.tokenprepending.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.eval.retrieval.BeirDataset;
import io.github.tokenprepending.eval.retrieval.CorpusEmbeddingCache;
import io.github.tokenprepending.eval.retrieval.RetrievalEvaluator;
import io.github.tokenprepending.eval.retrieval.RetrievalReport;
import io.github.tokenprepending.eval.retrieval.RetrievalTable;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.spi.ModelOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tp retrieval}: nDCG@10 and friends on a BEIR-layout data set, vanilla and Token Prepending side by side. */
@Command(name = "retrieval", abbreviateSynopsis = true,
        customSynopsis = "tp retrieval --data DIR [--split test] [--compare-vanilla] [OPTIONS]",
        description = {"Evaluate retrieval on a data set in the BEIR layout, as MTEB scores it.",
            "",
            "Embeds the corpus (title + \" \" + text) and the split's queries, ranks the whole corpus for each query"
                    + " by cosine similarity (exact search), and prints nDCG@10 (the headline), nDCG@1/5/100, MAP@10,"
                    + " MRR@10, Recall@10/100 and P@10 (x 100). Corpus embeddings are cached on disk by model,"
                    + " settings and corpus checksum, so a second run with other query settings embeds only the"
                    + " queries. Every metric at k = 1, 3, 5, 10, 100 goes to the JSON report."})
final class RetrievalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "a BEIR data set: corpus.jsonl, queries.jsonl and qrels/<split>.tsv (each may be .gz)")
    Path data;

    @Option(names = "--split", paramLabel = "NAME", defaultValue = "test",
            description = "the qrels split (default: test)")
    String split;

    @Option(names = "--compare-vanilla",
            description = "add a row for the plain prompt read at hidden_states[-1] (the paper's baseline)")
    boolean compareVanilla;

    @Option(names = "--query-prompt", paramLabel = "METHOD|TEMPLATE|NAME",
            description = "prompt for queries (default: a trained embedder's 'query' prompt, else --prompt, the same"
                    + " for queries and documents); a name of the model's prompts is used as named")
    String queryPrompt;

    @Option(names = "--document-prompt", paramLabel = "METHOD|TEMPLATE|NAME",
            description = "prompt for documents (default: a trained embedder's 'document' or 'passage' prompt, else"
                    + " --prompt)")
    String documentPrompt;

    @Option(names = "--ignore-identical-ids",
            description = "never retrieve the document whose id is the query's (as MTEB does for ArguAna)")
    boolean ignoreIdenticalIds;

    @Option(names = {"-o", "--report"}, paramLabel = "FILE",
            description = "JSON report, written atomically (default: retrieval-<data set>-<split>.json)")
    Path report;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "corpus embedding cache (default: ~/.cache/token-prepending/corpus-embeddings)")
    Path cacheDir;

    @Option(names = "--no-cache", description = "neither read nor write cached corpus embeddings")
    boolean noCache;

    @Option(names = "--block-size", paramLabel = "N", defaultValue = "1024",
            description = "documents embedded and searched at a time (default 1024)")
    int blockSize;

    @Option(names = "--markdown", description = "print the table as Markdown")
    boolean markdown;

    @Mixin
    EncoderOptions options;

    /** One row: its label, how it embeds queries and documents, and what came out. */
    private record Row(String label, TpConfig queries, TpConfig documents, RetrievalReport result,
            long promptsEmbedded, double seconds) {
    }

    @Override
    public Integer call() throws Exception {
        if (blockSize < 1) {
            throw new ParameterException(spec.commandLine(), "--block-size must be at least 1, was " + blockSize);
        }
        if (noCache && cacheDir != null) {
            throw new ParameterException(spec.commandLine(), "--no-cache and --cache-dir exclude each other");
        }
        EncoderSettings settings = options.settings();
        boolean tokenPrepending = !Boolean.TRUE.equals(settings.get(EncoderSettings.VANILLA));
        BeirDataset dataset;
        try {
            dataset = BeirDataset.load(data, split); // read and check the data before loading the model
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--split: " + e.getMessage());
        }
        System.err.printf(Locale.ROOT, "data: %s, split %s: %d queries, %d documents, %d judgements%n", data,
                split, dataset.queries().size(), dataset.documents(), dataset.qrels().size());
        CorpusEmbeddingCache cache = noCache ? null : new CorpusEmbeddingCache(cacheDir != null ? cacheDir
                : Path.of(System.getProperty("user.home"), ".cache", "token-prepending", "corpus-embeddings"));
        List<Row> rows = new ArrayList<>();
        // the vanilla baseline reads hidden_states[-1]: load every layer for it, not only up to the TP output layer
        try (SentenceEncoder encoder = options.open(b -> {
            if (compareVanilla) {
                b.loadLayersFor(OutputLayer.last());
            }
        })) {
            List<String> named = encoder.promptNames();
            PromptSet queries = prompts(encoder, "--query-prompt", queryPrompt, tokenPrepending,
                    named.contains("query") ? "query" : null);
            PromptSet documents = prompts(encoder, "--document-prompt", documentPrompt, tokenPrepending,
                    named.contains("document") ? "document" : named.contains("passage") ? "passage" : null);
            TpConfig config = encoder.config();
            String method = named.isEmpty() ? StsCommand.label(config.prompts().name()) : "as trained";
            System.err.println("model: " + options.modelName() + ", " + SimilarityCommand.describe(encoder));
            if (compareVanilla && config.tp() != null) {
                TpConfig vanilla = config.toBuilder().vanilla().outputLayer(OutputLayer.last()).build();
                rows.add(run(encoder, dataset, cache, method, vanilla, queries, documents));
            }
            rows.add(run(encoder, dataset, cache, config.tp() == null ? method : method + " + TP", config, queries,
                    documents));
        }
        RetrievalTable table = new RetrievalTable();
        rows.forEach(r -> table.add(r.label(), r.result()));
        System.out.println(markdown ? table.toMarkdown() : table.toText());
        Path out = report != null ? report : Path.of("retrieval-" + rows.get(0).result().dataset() + "-" + split
                + ".json");
        writeReport(out, settings, dataset, rows);
        System.err.println("report: " + out);
        return 0;
    }

    private Row run(SentenceEncoder encoder, BeirDataset dataset, CorpusEmbeddingCache cache, String label,
            TpConfig base, PromptSet queryPrompts, PromptSet documentPrompts) throws Exception {
        TpConfig queryConfig = withPrompts(base, queryPrompts);
        TpConfig documentConfig = withPrompts(base, documentPrompts);
        long start = System.nanoTime();
        try (SentenceEncoder queries = encoder.variant(c -> like(c, queryConfig));
                SentenceEncoder documents = encoder.variant(c -> like(c, documentConfig))) {
            RetrievalEvaluator.Builder evaluator = RetrievalEvaluator.builder()
                    .queryEmbedder(queries::embed).documentEmbedder(documents::embed)
                    .ignoreIdenticalIds(ignoreIdenticalIds).blockSize(blockSize)
                    .progress(TerminalProgress.embedding(label + " corpus"));
            if (cache != null) {
                evaluator.cache(cache, modelIdentity(encoder), cacheSettings(documents.config()));
            }
            RetrievalReport result = evaluator.build().evaluate(dataset);
            long prompts = queries.stats().prompts() + documents.stats().prompts();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf(Locale.ROOT, "%s: %.1f s, %d prompts embedded%s%n", label, seconds, prompts,
                    result.corpusFromCache() ? " (corpus embeddings from the cache)" : "");
            return new Row(label, queries.config(), documents.config(), result, prompts, seconds);
        }
    }

    /** Makes a variant's settings those of {@code target} (batching stays the encoder's). */
    private static void like(TpConfig.Builder c, TpConfig target) {
        if (target.tp() == null) {
            c.vanilla();
        } else {
            c.tp(target.tp());
        }
        c.outputLayer(target.outputLayer()).prompts(target.prompts());
    }

    private static TpConfig withPrompts(TpConfig base, PromptSet prompts) {
        return prompts == null ? base : base.toBuilder().prompts(prompts).build();
    }

    /**
     * A prompt option: one of the model's named prompts (a trained embedder's), else a method or template; without
     * the option the model's prompt of that role, if it names one.
     */
    private PromptSet prompts(SentenceEncoder encoder, String option, String value, boolean tokenPrepending,
            String roleName) {
        if (value == null) {
            return roleName == null ? null : encoder.prompts(roleName);
        }
        if (encoder.promptNames().contains(value)) {
            return encoder.prompts(value);
        }
        try {
            return EncoderSettings.prompts(value, tokenPrepending);
        } catch (InvalidSettingException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.problem());
        }
    }

    /** The model as a cache key: its local directory (for a Hub model, the snapshot of one commit). */
    private static String modelIdentity(SentenceEncoder encoder) {
        Path dir = encoder.modelDirectory();
        return dir != null ? dir.toAbsolutePath().normalize().toString() : encoder.modelId();
    }

    /** Everything that changes a document's embedding direction, as canonical text. */
    private String cacheSettings(TpConfig c) {
        ModelOptions m = options.modelOptions();
        return "tp=" + (c.tp() == null ? "none" : c.tp()) + "; outputLayer=" + c.outputLayer() + "; prompt="
                + c.prompts().name() + " " + c.prompts().templates().stream().map(PromptTemplate::text)
                        .collect(Collectors.joining(" | ")) + "; head=" + c.head().pooling().id()
                + (c.head().includePrompt() ? "" : " without prompt") + " dense " + c.head().dense().size()
                + (c.head().normalize() ? " normalize" : "") + "; dimensions=" + c.dimensions()
                + "; maxTokens=" + c.maxTokens() + "; device="
                + (m.device() == null ? "cpu" : m.device()) + "; dtype=" + m.dtype() + "; placeholder="
                + m.placeholder();
    }

    private void writeReport(Path out, EncoderSettings settings, BeirDataset dataset, List<Row> rows)
            throws Exception {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dataset", rows.get(0).result().dataset());
        json.put("directory", data.toAbsolutePath().normalize().toString());
        json.put("split", split);
        json.put("queries", dataset.queries().size());
        json.put("documents", dataset.documents());
        json.put("corpusChecksum", dataset.corpusChecksum());
        json.put("model", options.modelName());
        json.put("settings", settings.asMap());
        json.put("ignoreIdenticalIds", ignoreIdenticalIds);
        List<Map<String, Object>> results = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", r.label());
            row.put("tp", r.documents().tp() == null ? null : List.of(r.documents().tp().start(),
                    r.documents().tp().exit()));
            row.put("outputLayer", r.documents().outputLayer().toString());
            row.put("queryPrompt", templates(r.queries().prompts()));
            row.put("documentPrompt", templates(r.documents().prompts()));
            row.put("corpusFromCache", r.result().corpusFromCache());
            row.put("promptsEmbedded", r.promptsEmbedded());
            row.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
            row.put("metrics", r.result().metrics());
            results.add(row);
        }
        json.put("results", results);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        byte[] bytes = mapper.writeValueAsBytes(json);
        AtomicFile.write(out, stream -> stream.write(bytes));
    }

    private static List<String> templates(PromptSet prompts) {
        return prompts.templates().stream().map(PromptTemplate::text).toList();
    }
}
