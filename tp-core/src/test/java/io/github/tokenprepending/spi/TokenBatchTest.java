package io.github.tokenprepending.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBatchTest {

    @Test
    void describesItsRows() {
        TokenBatch b = TokenBatch.of(new int[][] {{1, 5, 9, 7}, {1, 6}, {1, 2, 3}}, new int[] {2, -1, 0});
        assertThat(b.size()).isEqualTo(3);
        assertThat(b.length(0)).isEqualTo(4);
        assertThat(b.length(1)).isEqualTo(2);
        assertThat(b.ids(2)).containsExactly(1, 2, 3);
        assertThat(b.id(0, 2)).isEqualTo(9);
        assertThat(b.placeholderIndex(0)).isEqualTo(2);
        assertThat(b.placeholderIndex(1)).isEqualTo(-1);
        assertThat(b.placeholderIndex(2)).isZero();
        assertThat(b.maxLength()).isEqualTo(4);
        assertThat(b.paddedTokens()).isEqualTo(12);
        assertThat(b.realTokens()).isEqualTo(9);
        assertThat(b.toString()).contains("rows=3").contains("maxLength=4").contains("[2, -1, 0]");
    }

    @Test
    void copiesItsInputsAndOutputs() {
        int[][] ids = {{1, 5, 9}};
        int[] pst = {1};
        TokenBatch b = TokenBatch.of(ids, pst);
        ids[0][0] = 42;
        pst[0] = 2;
        assertThat(b.id(0, 0)).isEqualTo(1);
        assertThat(b.placeholderIndex(0)).isEqualTo(1);
        b.ids(0)[1] = 42;
        assertThat(b.id(0, 1)).isEqualTo(5);
    }

    @Test
    void buildsFromTokenizedPrompts() {
        TokenBatch b = TokenBatch.of(List.of(new TokenizedPrompt(new int[] {1, 4, 3}, 1, List.of()),
                new TokenizedPrompt(new int[] {1, 8}, -1, List.of("<s>", "x"))));
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.ids(0)).containsExactly(1, 4, 3);
        assertThat(b.placeholderIndex(0)).isEqualTo(1);
        assertThat(b.ids(1)).containsExactly(1, 8);
        assertThat(b.placeholderIndex(1)).isEqualTo(-1);
    }

    @Test
    void rejectsMalformedBatches() {
        assertThatThrownBy(() -> TokenBatch.of(new int[0][], new int[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one row");
        assertThatThrownBy(() -> TokenBatch.of(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenBatch.of(new int[][] {{1}, {2}}, new int[] {-1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(2)").hasMessageContaining("(1)");
        assertThatThrownBy(() -> TokenBatch.of(new int[][] {{1}, {}}, new int[] {-1, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has no tokens");
        assertThatThrownBy(() -> TokenBatch.of(new int[][] {{1}, null}, new int[] {-1, -1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1");
        assertThatThrownBy(() -> TokenBatch.of(new int[][] {{1, 2}}, new int[] {2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("placeholder index 2");
        assertThatThrownBy(() -> TokenBatch.of(new int[][] {{1, 2}}, new int[] {-2}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    }

    @Test
    void firstIdOutsideTheVocabularyIsFoundRowByRow() {
        TokenBatch batch = TokenBatch.of(new int[][] {{1, 9, 2}, {1, 3, 10, -1}}, new int[] {1, -1});

        assertThat(batch.firstIdOutside(11, true)).containsExactly(1, 3);
        assertThat(batch.firstIdOutside(10, true)).containsExactly(1, 2);
        assertThat(batch.firstIdOutside(9, true)).as("row 0's 9 is its <PST>, exempt").containsExactly(1, 2);
        assertThat(batch.firstIdOutside(9, false)).containsExactly(0, 1);
        assertThat(TokenBatch.of(new int[][] {{0, 4}}, new int[] {-1}).firstIdOutside(5, false)).isNull();
    }
}
