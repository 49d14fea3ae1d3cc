package io.github.tokenprepending.eval.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Cosine similarities of 2-d vectors, known by geometry. */
class ExactSearchTest {
    // against (1, 0): d1 cos 1, d2 cos 1/sqrt(2), d3 and d5 cos 0 (a tie), d4 cos -1
    private static final List<String> IDS = List.of("d1", "d2", "d3", "d4", "d5");
    private static final List<float[]> DOCS = List.of(new float[] {2, 0}, new float[] {1, 1}, new float[] {0, 3},
            new float[] {-1, 0}, new float[] {0, 1});

    private static List<String> ids(List<ScoredDocument> results) {
        return results.stream().map(ScoredDocument::id).toList();
    }

    @Test
    void topKByCosineWithTiesBrokenByIdDescending() {
        for (int block = 1; block <= IDS.size(); block++) {
            ExactSearch search = new ExactSearch(List.of("q", "r"), List.of(new float[] {1, 0}, new float[] {0, -2}),
                    4, false);
            for (int from = 0; from < IDS.size(); from += block) {
                int to = Math.min(IDS.size(), from + block);
                search.add(IDS.subList(from, to), DOCS.subList(from, to));
            }
            assertThat(ids(search.results(0))).as("block %d", block).containsExactly("d1", "d2", "d5", "d3");
            assertThat(search.results(0).get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-6));
            // against (0, -1): d1 and d4 tie at 0, the rest are negative: d2 -1/sqrt(2), d3 and d5 -1
            assertThat(ids(search.results(1))).containsExactly("d4", "d1", "d2", "d5");
        }
    }

    @Test
    void ignoresTheDocumentWithTheQuerysId() {
        ExactSearch search = new ExactSearch(List.of("d1"), List.of(new float[] {1, 0}), 2, true);
        search.add(IDS, DOCS);
        assertThat(ids(search.results(0))).containsExactly("d2", "d5");
    }

    @Test
    void zeroVectorsScoreZero() {
        ExactSearch search = new ExactSearch(List.of("q"), List.of(new float[] {0, 0}), 1, false);
        search.add(List.of("a"), List.of(new float[] {1, 1}));
        assertThat(search.results(0)).containsExactly(new ScoredDocument("a", 0));
    }

    @Test
    void dimensionsMustAgree() {
        ExactSearch search = new ExactSearch(List.of("q"), List.of(new float[] {1, 0}), 1, false);
        assertThatThrownBy(() -> search.add(List.of("a"), List.of(new float[] {1, 0, 0})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("document a has dimension 3");
    }
}
