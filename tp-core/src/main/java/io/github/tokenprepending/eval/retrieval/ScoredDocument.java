package io.github.tokenprepending.eval.retrieval;

import java.util.Comparator;
import java.util.Objects;

/**
 * A retrieved document and its score.
 *
 * @param id the document id
 * @param score the similarity to the query
 */
public record ScoredDocument(String id, double score) {

    /**
     * trec_eval's ranking: higher score first; equal scores by document id, the greater id first (comparing ids by
     * code point, as trec_eval's {@code strcmp} compares their UTF-8 bytes).
     */
    public static final Comparator<ScoredDocument> RANKING = (a, b) -> {
        int byScore = Double.compare(b.score, a.score);
        return byScore != 0 ? byScore : compareIds(b.id, a.id);
    };

    /** @throws IllegalArgumentException if the score is NaN */
    public ScoredDocument {
        Objects.requireNonNull(id, "id");
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("document " + id + " has a NaN score");
        }
    }

    /**
     * @param a an id
     * @param b an id
     * @return the order of their code points (that of their UTF-8 bytes)
     */
    static int compareIds(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
