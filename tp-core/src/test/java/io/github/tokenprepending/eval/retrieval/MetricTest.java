package io.github.tokenprepending.eval.retrieval;

import static io.github.tokenprepending.eval.retrieval.Metric.MAP;
import static io.github.tokenprepending.eval.retrieval.Metric.MRR;
import static io.github.tokenprepending.eval.retrieval.Metric.NDCG;
import static io.github.tokenprepending.eval.retrieval.Metric.PRECISION;
import static io.github.tokenprepending.eval.retrieval.Metric.RECALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every expected value is worked out by hand from the definitions (trec_eval 9's ndcg_cut, map_cut, recall, P and
 * MTEB's MRR); the arithmetic is spelled out next to each.
 */
class MetricTest {
    private static final double EPS = 1e-12;

    /** log2(x), for writing out the discounts. */
    private static double lg(double x) {
        return Math.log(x) / Math.log(2);
    }

    private static List<ScoredDocument> run(Object... idScore) {
        List<ScoredDocument> run = new ArrayList<>();
        for (int i = 0; i < idScore.length; i += 2) {
            run.add(new ScoredDocument((String) idScore[i], (Double) idScore[i + 1]));
        }
        return run;
    }

    // Ranking d3 d1 d5 d2 d6; judged d1=2, d2=1, d3=0, d4=1 (d4 not retrieved, d5 and d6 unjudged): 3 relevant.
    private final List<ScoredDocument> graded = run("d3", 0.9, "d1", 0.8, "d5", 0.7, "d2", 0.6, "d6", 0.5);
    private final Map<String, Integer> gradedJudgements = Map.of("d1", 2, "d2", 1, "d3", 0, "d4", 1);

    @Test
    void ndcgUsesTheJudgementAsGainAndLog2OfRankPlusOne() {
        // @1: the top document is judged 0 -> DCG 0
        assertThat(NDCG.score(graded, gradedJudgements, 1)).isZero();
        // @3: DCG = 0/lg2 + 2/lg3 + 0/lg4; ideal = 2/lg2 + 1/lg3 + 1/lg4
        assertThat(NDCG.score(graded, gradedJudgements, 3))
                .isCloseTo((2 / lg(3)) / (2 + 1 / lg(3) + 1 / lg(4)), within(EPS));
        // @5: DCG adds d2 (gain 1) at rank 4; the ideal has only 3 relevant documents
        assertThat(NDCG.score(graded, gradedJudgements, 5))
                .isCloseTo((2 / lg(3) + 1 / lg(5)) / (2 + 1 / lg(3) + 1 / lg(4)), within(EPS));
    }

    @Test
    void ndcgIdealOrdersByGrade() {
        // a (1) before b (3): DCG = 1/lg2 + 3/lg3; ideal = 3/lg2 + 1/lg3
        assertThat(NDCG.score(run("a", 0.9, "b", 0.8), Map.of("a", 1, "b", 3), 10))
                .isCloseTo((1 + 3 / lg(3)) / (3 + 1 / lg(3)), within(EPS));
        // the ideal ranking is the run's: 1
        assertThat(NDCG.score(run("a", 0.8, "b", 0.9), Map.of("a", 1, "b", 3), 10)).isCloseTo(1.0, within(EPS));
    }

    @Test
    void mapDividesByAllRelevantDocuments() {
        // relevant at ranks 2 and 4: (1/2 + 2/4) / 3 relevant
        assertThat(MAP.score(graded, gradedJudgements, 5)).isCloseTo((0.5 + 0.5) / 3, within(EPS));
        // @3: only rank 2: (1/2) / 3
        assertThat(MAP.score(graded, gradedJudgements, 3)).isCloseTo(0.5 / 3, within(EPS));
        assertThat(MAP.score(graded, gradedJudgements, 1)).isZero();
    }

    @Test
    void recallAndPrecision() {
        assertThat(RECALL.score(graded, gradedJudgements, 3)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(RECALL.score(graded, gradedJudgements, 5)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(PRECISION.score(graded, gradedJudgements, 1)).isZero();
        assertThat(PRECISION.score(graded, gradedJudgements, 3)).isCloseTo(1.0 / 3, within(EPS));
        assertThat(PRECISION.score(graded, gradedJudgements, 5)).isCloseTo(2.0 / 5, within(EPS));
    }

    @Test
    void mrrIsTheReciprocalRankOfTheFirstRelevantDocumentWithinK() {
        assertThat(MRR.score(graded, gradedJudgements, 1)).isZero();
        assertThat(MRR.score(graded, gradedJudgements, 3)).isCloseTo(0.5, within(EPS));
        assertThat(MRR.score(graded, gradedJudgements, 100)).isCloseTo(0.5, within(EPS));
    }

    @Test
    void tiesAreBrokenByDocumentIdDescendingAsTrecEvalDoes() {
        // equal scores rank c, b, a whatever the run's order; a is the only relevant document: rank 3
        List<ScoredDocument> tied = run("a", 0.5, "b", 0.5, "c", 0.5);
        Map<String, Integer> judged = Map.of("a", 1);
        for (int shuffle = 0; shuffle < 3; shuffle++) {
            Collections.rotate(tied, 1);
            assertThat(MRR.score(tied, judged, 10)).isCloseTo(1.0 / 3, within(EPS));
            assertThat(NDCG.score(tied, judged, 10)).isCloseTo((1 / lg(4)) / 1, within(EPS));
            assertThat(PRECISION.score(tied, judged, 2)).isZero();
            assertThat(RECALL.score(tied, judged, 3)).isCloseTo(1.0, within(EPS));
        }
        // ids compare by code point: "b" > "B" > "A", so b ranks first
        assertThat(MRR.score(run("A", 0.5, "B", 0.5, "b", 0.5), Map.of("B", 1), 10)).isCloseTo(0.5, within(EPS));
        assertThat(Metric.rank(run("a10", 0.5, "a9", 0.5)).get(0).id()).isEqualTo("a9");
    }

    @Test
    void aQueryWithoutRelevantDocumentsScoresZeroEverywhere() {
        List<ScoredDocument> r = run("x", 0.9, "y", 0.1);
        for (Metric m : Metric.values()) {
            for (int k : Metric.CUTOFFS) {
                assertThat(m.score(r, Map.of("x", 0, "z", 0), k)).as(m.key(k)).isZero();
            }
        }
    }

    @Test
    void cutoffsBeyondTheRun() {
        // two documents retrieved, both relevant, a third relevant one never retrieved; k = 100
        List<ScoredDocument> r = run("a", 0.9, "b", 0.8);
        Map<String, Integer> judged = Map.of("a", 1, "b", 1, "z", 1);
        assertThat(PRECISION.score(r, judged, 100)).isCloseTo(2.0 / 100, within(EPS));
        assertThat(RECALL.score(r, judged, 100)).isCloseTo(2.0 / 3, within(EPS));
        assertThat(MAP.score(r, judged, 100)).isCloseTo((1.0 / 1 + 2.0 / 2) / 3, within(EPS));
        assertThat(NDCG.score(r, judged, 100)).isCloseTo((1 + 1 / lg(3)) / (1 + 1 / lg(3) + 1 / lg(4)),
                within(EPS));
        assertThat(MRR.score(r, judged, 100)).isCloseTo(1.0, within(EPS));
        // an empty run
        assertThat(NDCG.score(List.of(), judged, 10)).isZero();
    }

    @Test
    void badInput() {
        assertThatThrownBy(() -> NDCG.score(run("a", 0.5, "a", 0.4), Map.of("a", 1), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a is retrieved twice");
        assertThatThrownBy(() -> NDCG.score(List.of(), Map.of("a", 1), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1");
    }

    @Test
    void mtebNames() {
        assertThat(NDCG.key(10)).isEqualTo("ndcg_at_10");
        assertThat(PRECISION.key(1)).isEqualTo("precision_at_1");
        assertThat(RECALL.label(100)).isEqualTo("R@100");
    }
}
