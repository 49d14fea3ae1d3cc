package io.github.tokenprepending.eval.retrieval;

import io.github.tokenprepending.ProgressListener;
import io.github.tokenprepending.eval.SentenceEmbedder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates embedders on a BEIR-layout data set the way MTEB scores retrieval: queries and documents (MTEB's
 * {@code title + " " + text}, {@link BeirDocument#embeddingText()}) are embedded by their own embedders (often one
 * encoder with two prompts), every query is compared with every document by cosine similarity ({@link
 * ExactSearch}), the best 100 documents of each query are kept, and {@link Metric}s are averaged over the judged
 * queries.
 *
 * <p>Memory is bounded whatever the corpus size: the corpus is streamed in blocks of {@link Builder#blockSize} and
 * neither its texts nor its embeddings are held after their block is scored; what stays is the queries' vectors
 * and 100 results per query. With a {@link CorpusEmbeddingCache}, corpus embeddings are read from it when present
 * and otherwise written to it while embedding, so that a second run with other query settings embeds only the
 * queries.
 */
public final class RetrievalEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(RetrievalEvaluator.class);
    private static final int TOP_K = Metric.CUTOFFS.get(Metric.CUTOFFS.size() - 1);

    private final SentenceEmbedder queryEmbedder;
    private final SentenceEmbedder documentEmbedder;
    private final boolean ignoreIdenticalIds;
    private final int blockSize;
    private final CorpusEmbeddingCache cache;
    private final String cacheModel;
    private final String cacheSettings;
    private final ProgressListener progress;

    private RetrievalEvaluator(Builder b) {
        this.queryEmbedder = Objects.requireNonNull(b.queryEmbedder, "queryEmbedder");
        this.documentEmbedder = Objects.requireNonNull(b.documentEmbedder, "documentEmbedder");
        this.ignoreIdenticalIds = b.ignoreIdenticalIds;
        this.blockSize = b.blockSize;
        this.cache = b.cache;
        this.cacheModel = b.cacheModel;
        this.cacheSettings = b.cacheSettings;
        this.progress = b.progress;
    }

    /** @return a builder; both embedders are required */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param data the data set (already checked by {@link BeirDataset#load})
     * @return the metrics averaged over the judged queries
     * @throws IOException if the corpus cannot be read again, changed since it was loaded, or the cache fails
     * @throws IllegalStateException if an embedder returns the wrong number of embeddings, embeddings of different
     *     dimensions, or a component that is not finite (naming the query or document)
     */
    public RetrievalReport evaluate(BeirDataset data) throws IOException {
        List<String> queryIds = List.copyOf(data.queries().keySet());
        List<String> queryTexts = List.copyOf(data.queries().values());
        List<float[]> queryVectors = new ArrayList<>(queryIds.size());
        for (int from = 0; from < queryIds.size(); from += blockSize) {
            int to = Math.min(queryIds.size(), from + blockSize);
            queryVectors.addAll(embed(queryEmbedder, queryTexts.subList(from, to), queryIds.subList(from, to),
                    "query", queryVectors.isEmpty() ? -1 : queryVectors.get(0).length));
        }
        int dimension = queryVectors.get(0).length;
        ExactSearch search = new ExactSearch(queryIds, queryVectors, TOP_K, ignoreIdenticalIds);
        queryVectors = null;

        CorpusEmbeddingCache.Key key = cache == null ? null
                : new CorpusEmbeddingCache.Key(cacheModel, cacheSettings, data.corpusChecksum());
        Optional<CorpusEmbeddingCache.Reader> cached = cache == null ? Optional.empty()
                : cache.open(key, data.documents());
        long[] done = {0};
        if (cached.isPresent()) {
            LOG.info("corpus embeddings from the cache {}", cache.file(key));
            try (CorpusEmbeddingCache.Reader reader = cached.get()) {
                if (reader.dimension() != dimension) {
                    throw new IllegalStateException("the cached corpus embeddings in " + cache.file(key)
                            + " have dimension " + reader.dimension() + ", the queries " + dimension);
                }
                data.forEachBlock(blockSize, block -> {
                    search.add(ids(block), reader.next(block.size()));
                    progress.onProgress(done[0] += block.size(), data.documents());
                });
            }
        } else {
            try (CorpusEmbeddingCache.Writer writer = cache == null ? null : cache.create(key, data.documents())) {
                data.forEachBlock(blockSize, block -> {
                    List<String> ids = ids(block);
                    List<float[]> vectors = embed(documentEmbedder,
                            block.stream().map(BeirDocument::embeddingText).toList(), ids, "document", dimension);
                    if (writer != null) {
                        writer.append(vectors);
                    }
                    search.add(ids, vectors);
                    progress.onProgress(done[0] += block.size(), data.documents());
                });
                if (writer != null) {
                    writer.commit();
                    LOG.info("corpus embeddings cached in {}", cache.file(key));
                }
            }
        }

        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric metric : Metric.values()) {
            for (int k : Metric.CUTOFFS) {
                double sum = 0;
                for (int q = 0; q < queryIds.size(); q++) {
                    sum += metric.score(search.results(q), data.qrels().of(queryIds.get(q)), k);
                }
                metrics.put(metric.key(k), sum / queryIds.size());
            }
        }
        Path name = data.directory().toAbsolutePath().normalize().getFileName();
        return new RetrievalReport(name == null ? data.directory().toString() : name.toString(), data.split(), queryIds.size(), data.documents(), cached.isPresent(),
                metrics);
    }

    private static List<String> ids(List<BeirDocument> block) {
        return block.stream().map(BeirDocument::id).toList();
    }

    private static List<float[]> embed(SentenceEmbedder embedder, List<String> texts, List<String> ids, String what,
            int dimension) {
        List<float[]> vectors = embedder.embed(texts);
        if (vectors == null || vectors.size() != texts.size()) {
            throw new IllegalStateException("the " + what + " embedder returned " + (vectors == null ? "null"
                    : vectors.size() + " embeddings") + " for " + texts.size() + " texts");
        }
        for (int i = 0; i < vectors.size(); i++) {
            float[] v = vectors.get(i);
            if (v == null) {
                throw new IllegalStateException("no embedding for " + what + " " + ids.get(i));
            }
            if (dimension >= 0 && v.length != dimension) {
                throw new IllegalStateException("the embedding of " + what + " " + ids.get(i) + " has dimension "
                        + v.length + ", expected " + dimension);
            }
            dimension = v.length;
            for (int d = 0; d < v.length; d++) {
                if (!Float.isFinite(v[d])) {
                    throw new IllegalStateException("the embedding of " + what + " " + ids.get(i) + " has " + v[d]
                            + " at dimension " + d);
                }
            }
        }
        return vectors;
    }

    /** Builds a {@link RetrievalEvaluator}. */
    public static final class Builder {
        private SentenceEmbedder queryEmbedder;
        private SentenceEmbedder documentEmbedder;
        private boolean ignoreIdenticalIds;
        private int blockSize = 1024;
        private CorpusEmbeddingCache cache;
        private String cacheModel;
        private String cacheSettings;
        private ProgressListener progress = ProgressListener.none();

        private Builder() {
        }

        /**
         * @param embedder embeds the queries' texts
         * @return this
         */
        public Builder queryEmbedder(SentenceEmbedder embedder) {
            this.queryEmbedder = embedder;
            return this;
        }

        /**
         * @param embedder embeds the documents' texts
         * @return this
         */
        public Builder documentEmbedder(SentenceEmbedder embedder) {
            this.documentEmbedder = embedder;
            return this;
        }

        /**
         * @param embedder embeds queries and documents alike (the paper's prompts are symmetric)
         * @return this
         */
        public Builder embedder(SentenceEmbedder embedder) {
            return queryEmbedder(embedder).documentEmbedder(embedder);
        }

        /**
         * @param ignore never retrieve a document whose id is the query's (default false; MTEB sets it for ArguAna)
         * @return this
         */
        public Builder ignoreIdenticalIds(boolean ignore) {
            this.ignoreIdenticalIds = ignore;
            return this;
        }

        /**
         * @param blockSize texts per embedder call and documents per search block (default 1024): larger blocks
         *     batch better, smaller ones hold less
         * @return this
         */
        public Builder blockSize(int blockSize) {
            if (blockSize < 1) {
                throw new IllegalArgumentException("blockSize must be at least 1, was " + blockSize);
            }
            this.blockSize = blockSize;
            return this;
        }

        /**
         * @param cache where corpus embeddings are kept
         * @param model the document embedder's model identity
         * @param settings the document embedder's settings, canonical text
         * @return this
         */
        public Builder cache(CorpusEmbeddingCache cache, String model, String settings) {
            this.cache = Objects.requireNonNull(cache, "cache");
            this.cacheModel = Objects.requireNonNull(model, "model");
            this.cacheSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @param progress told after each block of documents (done, total)
         * @return this
         */
        public Builder progress(ProgressListener progress) {
            this.progress = Objects.requireNonNull(progress, "progress");
            return this;
        }

        /** @return the evaluator */
        public RetrievalEvaluator build() {
            return new RetrievalEvaluator(this);
        }
    }
}
