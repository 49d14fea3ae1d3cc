package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tp retrieval} end to end with the bundled toy model on the hand-made set in
 * {@code src/test/resources/beir/handmade}: 36 documents; 20 queries judged in test, 4 in dev.
 */
class RetrievalCommandTest {
    private static final int DOCUMENTS = 36;
    private static final int TEST_QUERIES = 20;

    @TempDir
    Path tmp;
    Path data;
    Path cache;

    @BeforeEach
    void copyData() throws IOException, URISyntaxException {
        Path source = Path.of(getClass().getResource("/beir/handmade").toURI());
        data = tmp.resolve("handmade");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, data.resolve(source.relativize(f).toString()));
            }
        }
        cache = tmp.resolve("cache");
    }

    private Cli.Result run(String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("retrieval", "--data", data.toString(), "--cache-dir",
                cache.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void vanillaAndTpSideBySideWithAReportAndTheCorpusCachedForTheNextRun() throws IOException {
        Path report = tmp.resolve("out/report.json");
        Cli.Result first = run("--compare-vanilla", "--report", report.toString());

        assertThat(first.exitCode()).as(first.toString()).isZero();
        List<String> lines = first.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("Method\\s+nDCG@10\\s+nDCG@1\\s+nDCG@5\\s+nDCG@100\\s+MAP@10\\s+MRR@10\\s+R@10"
                + "\\s+R@100\\s+P@10");
        assertThat(lines.get(1)).matches("PromptEOL(\\s+\\d+\\.\\d\\d){9}");
        assertThat(lines.get(2)).matches("PromptEOL \\+ TP(\\s+\\d+\\.\\d\\d){9}");
        assertThat(first.err()).contains("20 queries, 36 documents, 37 judgements");

        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("split").asText()).isEqualTo("test");
        assertThat(json.get("documents").asInt()).isEqualTo(DOCUMENTS);
        assertThat(json.get("results")).hasSize(2);
        for (JsonNode row : json.get("results")) {
            assertThat(row.get("corpusFromCache").asBoolean()).isFalse();
            // one PromptEOL prompt per query and per document
            assertThat(row.get("promptsEmbedded").asLong()).isEqualTo(TEST_QUERIES + DOCUMENTS);
            assertThat(row.get("metrics")).hasSize(25);
            row.get("metrics").forEach(v -> assertThat(v.asDouble()).isBetween(0.0, 1.0));
        }
        assertThat(json.get("results").get(0).get("tp").isNull()).isTrue();
        assertThat(json.get("results").get(1).get("tp")).hasSize(2);
        // with 36 documents, Recall@100 finds every relevant document
        assertThat(json.get("results").get(1).get("metrics").get("recall_at_100").asDouble()).isEqualTo(1.0);
        try (Stream<Path> files = Files.list(report.getParent())) {
            assertThat(files).containsExactly(report); // no temporary file left
        }

        Cli.Result second = run("--compare-vanilla", "--report", report.toString());
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.out()).isEqualTo(first.out());
        JsonNode again = new ObjectMapper().readTree(report.toFile());
        for (JsonNode row : again.get("results")) {
            assertThat(row.get("corpusFromCache").asBoolean()).isTrue();
            assertThat(row.get("promptsEmbedded").asLong()).as("only the queries").isEqualTo(TEST_QUERIES);
        }

        // other query settings: the corpus still comes from the cache
        Cli.Result otherQueries = run("--query-prompt", "This question : <PST> \"{sentence}\" means in one word:\"",
                "--report", report.toString());
        assertThat(otherQueries.exitCode()).as(otherQueries.toString()).isZero();
        JsonNode third = new ObjectMapper().readTree(report.toFile()).get("results").get(0);
        assertThat(third.get("corpusFromCache").asBoolean()).isTrue();
        assertThat(third.get("promptsEmbedded").asLong()).isEqualTo(TEST_QUERIES);
        assertThat(third.get("queryPrompt").get(0).asText()).startsWith("This question");

        // other document settings: embedded again
        Cli.Result otherDocuments = run("--document-prompt", "This passage : <PST> \"{sentence}\" means in one"
                + " word:\"", "--report", report.toString());
        assertThat(otherDocuments.exitCode()).as(otherDocuments.toString()).isZero();
        JsonNode fourth = new ObjectMapper().readTree(report.toFile()).get("results").get(0);
        assertThat(fourth.get("corpusFromCache").asBoolean()).isFalse();
        assertThat(fourth.get("promptsEmbedded").asLong()).isEqualTo(TEST_QUERIES + DOCUMENTS);
    }

    @Test
    void anotherSplitGzipFilesAndMarkdown() throws IOException {
        for (String name : List.of("corpus.jsonl", "queries.jsonl")) {
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(data.resolve(name + ".gz")))) {
                Files.copy(data.resolve(name), out);
            }
            Files.delete(data.resolve(name));
        }
        Path report = tmp.resolve("dev.json");
        Cli.Result r = run("--split", "dev", "--markdown", "--no-prefix-cache", "--report", report.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("| Method | nDCG@10 |").contains("| PromptEOL + TP | ");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("queries").asInt()).isEqualTo(4);
        assertThat(json.get("split").asText()).isEqualTo("dev");
    }

    @Test
    void corruptInputsAreNamedBeforeTheModelLoads() throws IOException {
        Path corpus = data.resolve("corpus.jsonl");
        List<String> lines = Files.readAllLines(corpus);
        lines.set(4, lines.get(4).replace("\"text\"", "\"txt\""));
        Files.write(corpus, lines);
        Cli.Result r = run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(corpus + ":5: no \"text\"").doesNotContain("model:");

        lines.set(4, lines.get(4).replace("\"txt\"", "\"text\""));
        Files.write(corpus, lines);
        Path qrels = data.resolve("qrels/test.tsv");
        Files.writeString(qrels, Files.readString(qrels) + "q01\tpet-99\t1\n");
        r = run();
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(qrels + ":39: corpus-id 'pet-99' is not in corpus.jsonl");

        r = run("--split", "train");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains(data.resolve("qrels/train.tsv").toString());
    }

    @Test
    void usageErrors() {
        Cli.Result r = run("--block-size", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--block-size must be at least 1");

        r = run("--query-prompt", "Query: \"{sentence}\" means in one word:\"");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--query-prompt: ").contains("<PST>");

        r = run("--no-cache");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--no-cache and --cache-dir exclude each other");
    }

    /**
     * A trained embedder embeds queries with its query prompt and documents with its document prompt by itself;
     * --compare-vanilla sets it as trained beside it with Token Prepending.
     */
    @Test
    void aTrainedEmbedderUsesItsQueryAndDocumentPromptsAndComparesWithTp() throws IOException {
        Path model = io.github.tokenprepending.djl.sentencetransformers.StModels.unpack("qwen3-embedding",
                tmp.resolve("models"));
        Path report = tmp.resolve("embedder.json");
        Cli.Result result = run("--model", model.toString(), "--tp", "1", "2", "--compare-vanilla", "--report",
                report.toString());

        assertThat(result.exitCode()).as(result.toString()).isZero();
        List<String> lines = result.out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(1)).matches("as trained(\\s+\\d+\\.\\d\\d){9}");
        assertThat(lines.get(2)).matches("as trained \\+ TP(\\s+\\d+\\.\\d\\d){9}");
        JsonNode rows = new ObjectMapper().readTree(report.toFile()).path("results");
        String instruction = "Instruct: Given a web search query, retrieve relevant passages that answer the query\nQuery:";
        // the report names the prompts' templates (the vanilla row drops their <PST>)
        for (JsonNode row : rows) {
            assertThat(row.path("queryPrompt").get(0).asText()).isEqualTo(instruction + "<PST>{sentence}");
            assertThat(row.path("documentPrompt").get(0).asText()).isEqualTo("<PST>{sentence}");
        }
        assertThat(rows.get(0).path("metrics")).isNotEqualTo(rows.get(1).path("metrics"));
    }
}
