package io.github.tokenprepending.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BeirDatasetTest {
    static final String CORPUS = """
            {"_id": "d1", "title": "Cats", "text": "Cats sleep a lot."}
            {"_id": "d2", "text": "Dogs like to run."}

            {"_id": "d3", "title": null, "text": "Fish swim.", "extra": 1}
            """;
    static final String QUERIES = """
            {"_id": "q1", "text": "Do cats sleep?"}
            {"_id": "q2", "text": "What do fish do?"}
            {"_id": "q3", "text": "Not judged in test."}
            """;
    static final String QRELS = "query-id\tcorpus-id\tscore\nq2\td3\t2\nq1\td1\t1\nq1\td2\t0\n";

    @TempDir
    Path dir;

    @BeforeEach
    void write() throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), CORPUS);
        Files.writeString(dir.resolve("queries.jsonl"), QUERIES);
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), QRELS);
    }

    @Test
    void readsTheLayout() throws IOException {
        BeirDataset data = BeirDataset.load(dir, "test");

        assertThat(data.documents()).isEqualTo(3);
        assertThat(data.queries()).containsExactly(Map.entry("q1", "Do cats sleep?"),
                Map.entry("q2", "What do fish do?"));
        assertThat(data.qrels().queryIds()).containsExactly("q2", "q1");
        assertThat(data.qrels().of("q1")).isEqualTo(Map.of("d1", 1, "d2", 0));
        assertThat(data.qrels().size()).isEqualTo(3);
        List<List<String>> blocks = new ArrayList<>();
        data.forEachBlock(2, block -> blocks.add(block.stream().map(BeirDocument::embeddingText).toList()));
        assertThat(blocks).containsExactly(List.of("Cats Cats sleep a lot.", "Dogs like to run."),
                List.of("Fish swim."));
    }

    @Test
    void documentTextIsTitleSpaceTextStripped() {
        assertThat(new BeirDocument("x", " A ", "b  ").embeddingText()).isEqualTo("A  b");
        assertThat(new BeirDocument("x", "", " b").embeddingText()).isEqualTo("b");
    }

    @Test
    void gzipFilesAndTheChecksumIgnoresTheEncoding() throws IOException {
        String plain = BeirDataset.load(dir, "test").corpusChecksum();
        for (String name : List.of("corpus.jsonl", "queries.jsonl", "qrels/test.tsv")) {
            gzip(dir.resolve(name), dir.resolve(name + ".gz"));
            Files.delete(dir.resolve(name));
        }
        // reformatted JSON, same content
        BeirDataset data = BeirDataset.load(dir, "test");
        assertThat(data.corpusFile().getFileName().toString()).isEqualTo("corpus.jsonl.gz");
        assertThat(data.corpusChecksum()).isEqualTo(plain).hasSize(64);
        assertThat(data.queries()).hasSize(2);

        Files.delete(dir.resolve("corpus.jsonl.gz"));
        Files.writeString(dir.resolve("corpus.jsonl"), CORPUS.replace("\"d1\", \"title\"", "\"d1\",\"title\""));
        assertThat(BeirDataset.load(dir, "test").corpusChecksum()).isEqualTo(plain);
        Files.writeString(dir.resolve("corpus.jsonl"), CORPUS.replace("a lot", "all day"));
        assertThat(BeirDataset.load(dir, "test").corpusChecksum()).isNotEqualTo(plain);
    }

    @Test
    void aCorpusChangedAfterLoadingFails() throws IOException {
        BeirDataset data = BeirDataset.load(dir, "test");
        Files.writeString(dir.resolve("corpus.jsonl"), CORPUS.replace("Fish", "Sharks"));
        assertThatThrownBy(() -> data.forEachBlock(10, block -> { }))
                .isInstanceOf(BeirFormatException.class).hasMessageContaining("changed");
    }

    @Test
    void missingFilesAreNamed() throws IOException {
        assertThatThrownBy(() -> BeirDataset.load(dir, "dev")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("qrels/dev.tsv").toString());
        Files.delete(dir.resolve("queries.jsonl"));
        assertThatThrownBy(() -> BeirDataset.load(dir, "test")).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(dir.resolve("queries.jsonl").toString());
        assertThatThrownBy(() -> BeirDataset.load(dir.resolve("nope"), "test"))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope");
    }

    @Test
    void malformedCorpusLinesAreNamed() throws IOException {
        expectCorpusError(CORPUS.replace("{\"_id\": \"d2\"", "{\"_id\": \"d1\""), 2,
                "duplicate document _id 'd1' (first on line 1)");
        expectCorpusError(CORPUS.replace("\"text\": \"Dogs like to run.\"", "\"body\": \"x\""), 2, "no \"text\"");
        expectCorpusError(CORPUS.replace("{\"_id\": \"d3\", ", "{"), 4, "no \"_id\"");
        expectCorpusError(CORPUS.replace("\"Fish swim.\"", "[\"Fish\"]"), 4, "\"text\" must be a string");
        expectCorpusError(CORPUS.replace("Dogs like to run.\"}", "Dogs"), 2, "not valid JSON");
        expectCorpusError(CORPUS.replace("{\"_id\": \"d2\", \"text\": \"Dogs like to run.\"}", "[1, 2]"), 2,
                "expected a JSON object");
        expectCorpusError("", 0, "no documents");
    }

    @Test
    void invalidUtf8IsNamed() throws IOException {
        byte[] bytes = CORPUS.getBytes(StandardCharsets.UTF_8);
        int at = CORPUS.indexOf("Dogs");
        bytes[at] = (byte) 0xC3;
        bytes[at + 1] = (byte) 0x28;
        Files.write(dir.resolve("corpus.jsonl"), bytes);
        assertThatThrownBy(() -> BeirDataset.load(dir, "test")).isInstanceOf(BeirFormatException.class)
                .hasMessageContaining("not valid UTF-8").hasMessageContaining("corpus.jsonl:");
    }

    @Test
    void malformedQueriesAreNamed() throws IOException {
        Files.writeString(dir.resolve("queries.jsonl"), QUERIES + "{\"_id\": \"q2\", \"text\": \"again\"}\n");
        assertThatThrownBy(() -> BeirDataset.load(dir, "test")).isInstanceOf(BeirFormatException.class)
                .hasMessage(dir.resolve("queries.jsonl") + ":4: duplicate query _id 'q2' (first on line 2)");
    }

    @Test
    void qrelsReferringToUnknownIdsOrMalformedAreNamed() throws IOException {
        Path qrels = dir.resolve("qrels/test.tsv");
        expectQrelsError(QRELS + "q9\td1\t1\n", 5, "query-id 'q9' is not in queries.jsonl");
        expectQrelsError(QRELS + "q1\td9\t1\n", 5, "corpus-id 'd9' is not in corpus.jsonl");
        expectQrelsError(QRELS + "q1\td1\t2\n", 5, "query-id 'q1' and corpus-id 'd1' are judged twice");
        expectQrelsError(QRELS + "q1\td3\t1.5\n", 5, "the score '1.5' is not a non-negative integer");
        expectQrelsError(QRELS + "q1\td3\t-1\n", 5, "the score '-1' is not a non-negative integer");
        expectQrelsError(QRELS + "q1 d3 1\n", 5, "expected 3 tab-separated fields");
        expectQrelsError("q1\td1\t1\n", 1, "expected the header");
        expectQrelsError("query-id\tcorpus-id\tscore\n", 0, "no judgements");
        assertThat(qrels).exists();
    }

    private void expectCorpusError(String corpus, int line, String message) throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), corpus);
        assertThatThrownBy(() -> BeirDataset.load(dir, "test")).isInstanceOf(BeirFormatException.class)
                .hasMessageStartingWith(dir.resolve("corpus.jsonl") + (line > 0 ? ":" + line : "") + ": " + message)
                .satisfies(e -> assertThat(((BeirFormatException) e).line()).isEqualTo(line));
    }

    private void expectQrelsError(String qrels, int line, String message) throws IOException {
        Path file = dir.resolve("qrels/test.tsv");
        Files.writeString(file, qrels);
        assertThatThrownBy(() -> BeirDataset.load(dir, "test")).isInstanceOf(BeirFormatException.class)
                .hasMessageStartingWith(file + (line > 0 ? ":" + line : "") + ": " + message);
    }

    static void gzip(Path from, Path to) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(to))) {
            Files.copy(from, out);
        }
    }
}
