package io.github.tokenprepending.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RenderedPromptTest {

    @Test
    void textPutsTheLiteralPlaceholderBetweenTheParts() {
        assertThat(RenderedPrompt.withPlaceholder("A : ", " \"b.\"").text()).isEqualTo("A : <PST> \"b.\"");
        assertThat(RenderedPrompt.withPlaceholder("", "").text()).isEqualTo("<PST>");
        assertThat(RenderedPrompt.plain("A : \"b.\"").text()).isEqualTo("A : \"b.\"");
    }

    @Test
    void aPlainPromptKeepsEverythingInBefore() {
        assertThatThrownBy(() -> new RenderedPrompt("a", "b", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before");
        assertThatThrownBy(() -> new RenderedPrompt(null, "", true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RenderedPrompt("", null, true)).isInstanceOf(NullPointerException.class);
    }
}
