package io.github.tokenprepending.eval.retrieval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Relevance judgements of one split: per query, the judged documents and their graded scores (0 = judged not
 * relevant; 1 and more = relevant, the score being the gain in nDCG). Queries keep file order.
 */
public final class Qrels {
    private final Map<String, Map<String, Integer>> judgements;

    /**
     * @param judgements per query id, the scores of the judged document ids
     * @throws IllegalArgumentException if a score is negative or a query has no judgements
     */
    public Qrels(Map<String, Map<String, Integer>> judgements) {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        judgements.forEach((query, docs) -> {
            if (docs.isEmpty()) {
                throw new IllegalArgumentException("query " + query + " has no judgements");
            }
            docs.forEach((doc, score) -> {
                if (score < 0) {
                    throw new IllegalArgumentException("query " + query + ", document " + doc + ": negative score "
                            + score);
                }
            });
            copy.put(query, Map.copyOf(docs));
        });
        this.judgements = Collections.unmodifiableMap(copy);
    }

    /** @return the judged query ids, in file order */
    public Set<String> queryIds() {
        return judgements.keySet();
    }

    /**
     * @param queryId a judged query
     * @return its judged documents and their scores (empty for an unknown query)
     */
    public Map<String, Integer> of(String queryId) {
        return judgements.getOrDefault(queryId, Map.of());
    }

    /** @return the number of (query, document) judgements */
    public int size() {
        return judgements.values().stream().mapToInt(Map::size).sum();
    }
}
