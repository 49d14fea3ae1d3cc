package io.github.tokenprepending.eval.retrieval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Retrieval metrics of one query's ranking at a cutoff {@code k}, with the definitions of trec_eval 9 (as
 * {@code pytrec_eval} runs it for BEIR and MTEB) and MTEB's MRR. A document is relevant when its judgement is at
 * least 1; unjudged documents count as judged 0. The run is ranked as trec_eval ranks it ({@link
 * ScoredDocument#RANKING}), whatever its order. A query without a relevant document scores 0 on every metric (it
 * still counts in the mean over queries, as in trec_eval).
 */
public enum Metric {
    /**
     * {@code ndcg_cut.k}: {@code DCG@k / IDCG@k} with linear gains (the judgement itself) and discount
     * {@code log2(rank + 1)}; the ideal ranking orders all judged documents by judgement.
     */
    NDCG("ndcg", "nDCG"),
    /**
     * {@code map_cut.k}: the sum of the precisions at the ranks {@code <= k} of relevant documents, divided by the
     * number of relevant documents (all of them, retrieved or not).
     */
    MAP("map", "MAP"),
    /** {@code recall.k}: relevant documents in the top k over all relevant documents. */
    RECALL("recall", "R"),
    /** {@code P.k}: relevant documents in the top k over k (k even when fewer documents were retrieved). */
    PRECISION("precision", "P"),
    /** MTEB's {@code mrr_at_k}: 1 / rank of the first relevant document in the top k, 0 if there is none. */
    MRR("mrr", "MRR");

    /** The cutoffs MTEB reports: 1, 3, 5, 10, 100 (1000 is left out: runs keep the top 100). */
    public static final List<Integer> CUTOFFS = List.of(1, 3, 5, 10, 100);

    private final String key;
    private final String label;

    Metric(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /**
     * @param k a cutoff
     * @return MTEB's name, e.g. {@code ndcg_at_10}
     */
    public String key(int k) {
        return key + "_at_" + k;
    }

    /**
     * @param k a cutoff
     * @return a short column label, e.g. {@code nDCG@10}
     */
    public String label(int k) {
        return label + "@" + k;
    }

    /**
     * @param run the retrieved documents with their scores (ids unique; any order)
     * @param judgements the query's judged documents and their scores
     * @param k the cutoff, at least 1
     * @return the metric in [0, 1]
     * @throws IllegalArgumentException if k is below 1 or the run has a document twice
     */
    public double score(Collection<ScoredDocument> run, Map<String, Integer> judgements, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("the cutoff must be at least 1, was " + k);
        }
        List<ScoredDocument> ranked = rank(run);
        int[] gains = new int[Math.min(k, ranked.size())];
        for (int i = 0; i < gains.length; i++) {
            gains[i] = judgements.getOrDefault(ranked.get(i).id(), 0);
        }
        int relevant = (int) judgements.values().stream().filter(g -> g >= 1).count();
        if (relevant == 0) {
            return 0;
        }
        switch (this) {
            case NDCG: {
                double dcg = 0;
                for (int i = 0; i < gains.length; i++) {
                    dcg += gains[i] / log2(i + 2);
                }
                int[] ideal = judgements.values().stream().filter(g -> g >= 1)
                        .sorted((a, b) -> Integer.compare(b, a)).mapToInt(Integer::intValue).limit(k).toArray();
                double idcg = 0;
                for (int i = 0; i < ideal.length; i++) {
                    idcg += ideal[i] / log2(i + 2);
                }
                return dcg / idcg;
            }
            case MAP: {
                double sum = 0;
                int found = 0;
                for (int i = 0; i < gains.length; i++) {
                    if (gains[i] >= 1) {
                        found++;
                        sum += (double) found / (i + 1);
                    }
                }
                return sum / relevant;
            }
            case RECALL:
                return (double) hits(gains) / relevant;
            case PRECISION:
                return (double) hits(gains) / k;
            case MRR:
                for (int i = 0; i < gains.length; i++) {
                    if (gains[i] >= 1) {
                        return 1.0 / (i + 1);
                    }
                }
                return 0;
            default:
                throw new AssertionError(this);
        }
    }

    /**
     * @param run retrieved documents
     * @return them in trec_eval's order
     * @throws IllegalArgumentException if a document occurs twice
     */
    static List<ScoredDocument> rank(Collection<ScoredDocument> run) {
        Set<String> ids = new HashSet<>();
        for (ScoredDocument d : run) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("document " + d.id() + " is retrieved twice");
            }
        }
        List<ScoredDocument> ranked = new ArrayList<>(run);
        ranked.sort(ScoredDocument.RANKING);
        return ranked;
    }

    private static int hits(int[] gains) {
        int n = 0;
        for (int g : gains) {
            if (g >= 1) {
                n++;
            }
        }
        return n;
    }

    private static double log2(int x) {
        return Math.log(x) / Math.log(2);
    }
}
