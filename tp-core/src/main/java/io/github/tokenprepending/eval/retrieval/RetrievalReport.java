package io.github.tokenprepending.eval.retrieval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of one retrieval evaluation: each {@link Metric} at each of {@link Metric#CUTOFFS}, averaged over the
 * judged queries, under MTEB's names ({@code ndcg_at_10}, ...).
 *
 * @param dataset the data set's directory name
 * @param split the qrels split
 * @param queries the number of queries evaluated
 * @param documents the number of documents searched
 * @param corpusFromCache whether the corpus embeddings came from the cache
 * @param metrics mean metric values by MTEB name, in the order metric by metric, cutoff by cutoff
 */
public record RetrievalReport(String dataset, String split, int queries, int documents, boolean corpusFromCache,
        Map<String, Double> metrics) {

    /** @throws IllegalArgumentException if a metric at a cutoff is missing */
    public RetrievalReport {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(split, "split");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        for (Metric m : Metric.values()) {
            for (int k : Metric.CUTOFFS) {
                if (!metrics.containsKey(m.key(k))) {
                    throw new IllegalArgumentException("missing " + m.key(k));
                }
            }
        }
    }

    /**
     * @param metric a metric
     * @param k one of {@link Metric#CUTOFFS}
     * @return its mean over the queries
     */
    public double get(Metric metric, int k) {
        Double value = metrics.get(metric.key(k));
        if (value == null) {
            throw new IllegalArgumentException("no " + metric.key(k) + " (cutoffs: " + Metric.CUTOFFS + ")");
        }
        return value;
    }

    /** @return the headline number: mean nDCG@10 */
    public double ndcgAt10() {
        return get(Metric.NDCG, 10);
    }
}
