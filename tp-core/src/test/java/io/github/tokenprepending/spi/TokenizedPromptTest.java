package io.github.tokenprepending.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizedPromptTest {

    @Test
    void holdsIdsPlaceholderAndTokens() {
        TokenizedPrompt p = new TokenizedPrompt(new int[] {1, 7, 99, 8}, 2, List.of("<s>", "a", "<PST>", "b"));
        assertThat(p.length()).isEqualTo(4);
        assertThat(p.ids()).containsExactly(1, 7, 99, 8);
        assertThat(p.placeholderIndex()).isEqualTo(2);
        assertThat(p.tokens()).containsExactly("<s>", "a", "<PST>", "b");
        assertThat(new TokenizedPrompt(new int[] {1}, -1, List.of()).placeholderIndex()).isEqualTo(-1);
        assertThat(new TokenizedPrompt(new int[] {1}, 0, List.of()).placeholderIndex()).isZero();
    }

    @Test
    void isImmutable() {
        int[] ids = {1, 2, 3};
        List<String> tokens = new ArrayList<>(List.of("a"));
        TokenizedPrompt p = new TokenizedPrompt(ids, -1, tokens);
        ids[0] = 42;
        tokens.add("b");
        assertThat(p.ids()).containsExactly(1, 2, 3);
        assertThat(p.tokens()).containsExactly("a");
        p.ids()[1] = 42;
        assertThat(p.ids()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> p.tokens().add("c")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> new TokenizedPrompt(new int[0], -1, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one token");
        assertThatThrownBy(() -> new TokenizedPrompt(null, -1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenizedPrompt(new int[] {1, 2}, 2, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("placeholder index 2");
        assertThatThrownBy(() -> new TokenizedPrompt(new int[] {1, 2}, -2, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
