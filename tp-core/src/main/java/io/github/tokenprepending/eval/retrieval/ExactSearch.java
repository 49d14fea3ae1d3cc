package io.github.tokenprepending.eval.retrieval;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * Exact dense search: the cosine similarity of every query with every document, keeping each query's best
 * {@code k} in trec_eval's order ({@link ScoredDocument#RANKING}). Documents arrive in blocks and are not kept:
 * memory is the queries' vectors plus {@code k} results per query, whatever the corpus size. Each block is scored
 * against tiles of queries in parallel (a block-by-tile matrix product in float, on the common fork-join pool); no
 * approximation.
 *
 * <p>Not thread-safe: add blocks from one thread.
 */
public final class ExactSearch {
    private static final int QUERY_TILE = 16;

    private final List<String> queryIds;
    private final float[][] queries;
    private final int k;
    private final boolean ignoreIdenticalIds;
    private final List<PriorityQueue<ScoredDocument>> best = new ArrayList<>();

    /**
     * @param queryIds the queries' ids
     * @param queryVectors their embeddings (normalised here; not modified)
     * @param k results to keep per query
     * @param ignoreIdenticalIds skip a document whose id equals the query's (MTEB does for ArguAna, whose queries
     *     are also documents)
     * @throws IllegalArgumentException if the sizes or dimensions do not agree, or k is below 1
     */
    public ExactSearch(List<String> queryIds, List<float[]> queryVectors, int k, boolean ignoreIdenticalIds) {
        if (queryIds.size() != queryVectors.size()) {
            throw new IllegalArgumentException(queryIds.size() + " query ids but " + queryVectors.size()
                    + " vectors");
        }
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, was " + k);
        }
        this.queryIds = List.copyOf(queryIds);
        this.queries = new float[queryVectors.size()][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = normalized(queryVectors.get(q));
            if (queries[q].length != queries[0].length) {
                throw new IllegalArgumentException("query " + queryIds.get(q) + " has dimension "
                        + queries[q].length + ", the first has " + queries[0].length);
            }
            best.add(new PriorityQueue<>(k + 1, ScoredDocument.RANKING.reversed()));
        }
        this.k = k;
        this.ignoreIdenticalIds = ignoreIdenticalIds;
    }

    /**
     * Scores a block of documents.
     *
     * @param ids the documents' ids
     * @param vectors their embeddings, of the queries' dimension (not modified)
     * @throws IllegalArgumentException if the sizes or dimensions do not agree
     */
    public void add(List<String> ids, List<float[]> vectors) {
        if (ids.size() != vectors.size()) {
            throw new IllegalArgumentException(ids.size() + " document ids but " + vectors.size() + " vectors");
        }
        float[][] docs = new float[vectors.size()][];
        for (int d = 0; d < docs.length; d++) {
            docs[d] = normalized(vectors.get(d));
            if (queries.length > 0 && docs[d].length != queries[0].length) {
                throw new IllegalArgumentException("document " + ids.get(d) + " has dimension " + docs[d].length
                        + ", the queries have " + queries[0].length);
            }
        }
        int tiles = (queries.length + QUERY_TILE - 1) / QUERY_TILE;
        IntStream.range(0, tiles).parallel().forEach(t -> {
            int from = t * QUERY_TILE;
            int to = Math.min(queries.length, from + QUERY_TILE);
            for (int d = 0; d < docs.length; d++) {
                float[] doc = docs[d];
                String id = ids.get(d);
                for (int q = from; q < to; q++) {
                    if (ignoreIdenticalIds && id.equals(queryIds.get(q))) {
                        continue;
                    }
                    offer(best.get(q), id, dot(queries[q], doc));
                }
            }
        });
    }

    /**
     * @param query the index of a query
     * @return its best documents so far, best first
     */
    public List<ScoredDocument> results(int query) {
        List<ScoredDocument> ranked = new ArrayList<>(best.get(query));
        ranked.sort(ScoredDocument.RANKING);
        return ranked;
    }

    private void offer(PriorityQueue<ScoredDocument> heap, String id, float score) {
        if (heap.size() == k) {
            ScoredDocument worst = heap.peek();
            if (score < worst.score() || score == worst.score() && ScoredDocument.compareIds(id, worst.id()) < 0) {
                return;
            }
            heap.poll();
        }
        heap.add(new ScoredDocument(id, score));
    }

    private static float dot(float[] a, float[] b) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int n = a.length & ~3;
        for (int i = 0; i < n; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (int i = n; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** A unit-length copy; a zero vector stays zero (similarity 0 with everything). */
    private static float[] normalized(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        float[] out = new float[v.length];
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                out[i] = v[i] * inv;
            }
        }
        return out;
    }
}
