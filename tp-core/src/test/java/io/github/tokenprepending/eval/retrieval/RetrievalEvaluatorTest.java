package io.github.tokenprepending.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.eval.SentenceEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A word-count embedder (dimensions: cats, dogs, fish) on a corpus small enough to rank by hand. Expected metrics
 * are worked out in the comments.
 */
class RetrievalEvaluatorTest {
    private static final List<String> WORDS = List.of("cats", "dogs", "fish");
    private static final double EPS = 1e-6;

    @TempDir
    Path dir;
    final List<Integer> documentCalls = new ArrayList<>();
    final AtomicInteger queryCalls = new AtomicInteger();

    // d1 = (2,0,0), d2 = (0,1,0), d3 = "cats dogs" = (1,1,0) (title + text).
    // q1 "cats" (1,0,0): cos d1 1, d3 0.707, d2 0 -> d1 d3 d2; judged d1=2, d3=1: perfect, every metric 1 where
    //   defined by rank (P@k = 2/k for k >= 2).
    // q2 "fish" (0,0,1): all cos 0, a tie -> ids descending d3 d2 d1; judged d1=1: rank 3.
    //   nDCG@10 = (1/log2 4) / 1 = 0.5, MRR@10 = 1/3, MRR@1 = 0, R@1 = 0, R@3 = 1.
    @BeforeEach
    void write() throws IOException {
        Files.writeString(dir.resolve("corpus.jsonl"), """
                {"_id": "d1", "title": "", "text": "cats cats"}
                {"_id": "d2", "text": "dogs"}
                {"_id": "d3", "title": "cats", "text": "dogs"}
                """);
        Files.writeString(dir.resolve("queries.jsonl"), """
                {"_id": "q1", "text": "cats"}
                {"_id": "q2", "text": "fish"}
                """);
        Files.createDirectories(dir.resolve("qrels"));
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td3\t1\n"
                + "q2\td1\t1\n");
    }

    private static float[] count(String text) {
        float[] v = new float[WORDS.size()];
        for (String w : text.toLowerCase(Locale.ROOT).split(" ")) {
            int i = WORDS.indexOf(w);
            if (i >= 0) {
                v[i]++;
            }
        }
        return v;
    }

    private SentenceEmbedder documents() {
        return texts -> {
            documentCalls.add(texts.size());
            return texts.stream().map(RetrievalEvaluatorTest::count).toList();
        };
    }

    private SentenceEmbedder queries() {
        return texts -> {
            queryCalls.incrementAndGet();
            return texts.stream().map(RetrievalEvaluatorTest::count).toList();
        };
    }

    @Test
    void handWorkedMetrics() throws IOException {
        RetrievalReport r = RetrievalEvaluator.builder().queryEmbedder(queries()).documentEmbedder(documents())
                .blockSize(2).build().evaluate(BeirDataset.load(dir, "test"));

        assertThat(r.queries()).isEqualTo(2);
        assertThat(r.documents()).isEqualTo(3);
        assertThat(r.split()).isEqualTo("test");
        assertThat(r.dataset()).isEqualTo(dir.getFileName().toString());
        assertThat(r.ndcgAt10()).isCloseTo((1 + 0.5) / 2, within(EPS));
        assertThat(r.get(Metric.MRR, 10)).isCloseTo((1 + 1.0 / 3) / 2, within(EPS));
        assertThat(r.get(Metric.MRR, 1)).isCloseTo((1 + 0) / 2.0, within(EPS));
        assertThat(r.get(Metric.RECALL, 1)).isCloseTo((0.5 + 0) / 2, within(EPS));
        assertThat(r.get(Metric.RECALL, 3)).isCloseTo(1, within(EPS));
        assertThat(r.get(Metric.PRECISION, 3)).isCloseTo((2.0 / 3 + 1.0 / 3) / 2, within(EPS));
        assertThat(r.metrics()).hasSize(Metric.values().length * Metric.CUTOFFS.size())
                .allSatisfy((k, v) -> assertThat(v).isBetween(0.0, 1.0));
        assertThat(documentCalls).containsExactly(2, 1);
        assertThat(r.corpusFromCache()).isFalse();
    }

    @Test
    void ignoringIdenticalIds() throws IOException {
        // ids as in ArguAna, where a query is also a document: q1 is d1's id now
        Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"d1\", \"text\": \"cats\"}\n");
        Files.writeString(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nd1\td3\t1\n");
        BeirDataset data = BeirDataset.load(dir, "test");
        // without: d1 d3 d2 -> d3 at rank 2; with: d3 d2 -> rank 1
        assertThat(RetrievalEvaluator.builder().embedder(documents()).build().evaluate(data).get(Metric.MRR, 10))
                .isCloseTo(0.5, within(EPS));
        assertThat(RetrievalEvaluator.builder().embedder(documents()).ignoreIdenticalIds(true).build()
                .evaluate(data).get(Metric.MRR, 10)).isCloseTo(1, within(EPS));
    }

    @Test
    void theCacheSparesTheCorpusOnTheSecondRun() throws IOException {
        CorpusEmbeddingCache cache = new CorpusEmbeddingCache(dir.resolve("cache"));
        BeirDataset data = BeirDataset.load(dir, "test");
        RetrievalReport first = RetrievalEvaluator.builder().queryEmbedder(queries()).documentEmbedder(documents())
                .cache(cache, "words", "v1").build().evaluate(data);
        RetrievalReport second = RetrievalEvaluator.builder().queryEmbedder(queries()).documentEmbedder(documents())
                .cache(cache, "words", "v1").build().evaluate(data);

        assertThat(documentCalls).containsExactly(3);
        assertThat(queryCalls).hasValue(2);
        assertThat(first.corpusFromCache()).isFalse();
        assertThat(second.corpusFromCache()).isTrue();
        assertThat(second.metrics()).isEqualTo(first.metrics());

        RetrievalEvaluator.builder().queryEmbedder(queries()).documentEmbedder(documents())
                .cache(cache, "words", "v2").build().evaluate(data);
        assertThat(documentCalls).as("other settings, another entry").containsExactly(3, 3);
    }

    @Test
    void aBrokenEmbedderIsNamed() throws IOException {
        BeirDataset data = BeirDataset.load(dir, "test");
        SentenceEmbedder nan = texts -> texts.stream().map(t -> t.equals("dogs") ? new float[] {Float.NaN, 0, 0}
                : count(t)).toList();
        assertThatThrownBy(() -> RetrievalEvaluator.builder().queryEmbedder(queries()).documentEmbedder(nan).build()
                .evaluate(data)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the embedding of document d2 has NaN at dimension 0");
        assertThatThrownBy(() -> RetrievalEvaluator.builder().embedder(texts -> List.of()).build().evaluate(data))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned 0 embeddings for 2 texts");
    }
}
