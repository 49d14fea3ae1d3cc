package io.github.tokenprepending.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Parsing, validation and rendering. Expected strings of render(): Python's {@code t.replace(slot, s).strip()}. */
class PromptTemplateTest {

    @Test
    void parsesTheUserSlotAndTheOfficialSlot() {
        PromptTemplate user = PromptTemplate.of("This passage : <PST> \"{sentence}\" means in one word:\"");
        PromptTemplate official = PromptTemplate.of("This passage : <PST> \"*sent 0*\" means in one word:\"");
        assertThat(user.hasPlaceholder()).isTrue();
        assertThat(official.hasPlaceholder()).isTrue();
        assertThat(user.render("a b.")).isEqualTo(official.render("a b."));
        assertThat(user.render("a b.").before()).isEqualTo("This passage : ");
        assertThat(user.render("a b.").after()).isEqualTo(" \"a b.\" means in one word:\"");
        assertThat(user.text()).isEqualTo("This passage : <PST> \"{sentence}\" means in one word:\"");
        assertThat(user.toString()).isEqualTo(user.text());
    }

    @Test
    void aTemplateWithoutPlaceholderIsValidButHasNone() {
        PromptTemplate t = PromptTemplate.of("Summarize: {sentence}");
        assertThat(t.hasPlaceholder()).isFalse();
        assertThat(t.vanilla()).isSameAs(t);
        RenderedPrompt r = t.render("a b.");
        assertThat(r.hasPlaceholder()).isFalse();
        assertThat(r.before()).isEqualTo("Summarize: a b.");
        assertThat(r.after()).isEmpty();
        assertThat(r.text()).isEqualTo("Summarize: a b.");
    }

    @Test
    void rejectsATemplateWithoutSentenceSlot() {
        assertThatThrownBy(() -> PromptTemplate.of("This sentence : <PST> means in one word:\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sentence slot")
                .hasMessageContaining("{sentence}");
        assertThatThrownBy(() -> PromptTemplate.of("*sent 1*")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sentence slot");
    }

    @Test
    void rejectsTwoSentenceSlots() {
        assertThatThrownBy(() -> PromptTemplate.of("<PST> {sentence} and {sentence}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one sentence slot");
        assertThatThrownBy(() -> PromptTemplate.of("<PST> *sent 0* and *sent 0*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one sentence slot");
        assertThatThrownBy(() -> PromptTemplate.of("<PST> {sentence} and *sent 0*"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one sentence slot");
        assertThatThrownBy(() -> PromptTemplate.of("<PST> *sent 0* and {sentence}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one sentence slot");
    }

    @Test
    void rejectsTwoPlaceholders() {
        assertThatThrownBy(() -> PromptTemplate.of("<PST> a <PST> \"{sentence}\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than one <PST>")
                .hasMessageContaining("exactly one");
    }

    @Test
    void rejectsAPlaceholderAfterTheSentence() {
        assertThatThrownBy(() -> PromptTemplate.of("This sentence : \"{sentence}\" <PST> means in one word:\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<PST> must come before the sentence slot");
        assertThatThrownBy(() -> PromptTemplate.of("\"*sent 0*\"<PST>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<PST> must come before the sentence slot");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> PromptTemplate.of(null)).isInstanceOf(NullPointerException.class);
        PromptTemplate t = PromptTemplate.of("<PST> {sentence}");
        assertThatThrownBy(() -> t.render(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void renderStripsLikePython() {
        // ' \xa0Q : <PST> "*sent 0*" end \u3000\n'.replace('*sent 0*', 'x.').strip() == 'Q : <PST> "x." end'
        PromptTemplate t = PromptTemplate.of(" \u00A0Q : <PST> \"*sent 0*\" end \u3000\n");
        RenderedPrompt r = t.render("x.");
        assertThat(r.text()).isEqualTo("Q : <PST> \"x.\" end");
        assertThat(r.before()).isEqualTo("Q : ");
        assertThat(r.after()).isEqualTo(" \"x.\" end");

        // '  Summarize: *sent 0*  '.replace('*sent 0*', '').strip() == 'Summarize:'
        assertThat(PromptTemplate.of("  Summarize: *sent 0*  ").render("").text()).isEqualTo("Summarize:");
        // '<PST> *sent 0*'.replace('*sent 0*', '').strip() == '<PST>'
        RenderedPrompt empty = PromptTemplate.of("<PST> *sent 0*").render("");
        assertThat(empty.text()).isEqualTo("<PST>");
        assertThat(empty.before()).isEmpty();
        assertThat(empty.after()).isEmpty();
    }

    @Test
    void renderDoesNotStripInsideThePrompt() {
        RenderedPrompt r = PromptTemplate.of("A :  <PST>  {sentence}").render("  b  ");
        assertThat(r.before()).isEqualTo("A :  ");
        assertThat(r.after()).isEqualTo("    b");
    }

    @Test
    void aLiteralPlaceholderInTheSentenceStaysOrdinaryTextAfterThePlaceholder() {
        // 'Q : <PST> *sent 0*'.replace('*sent 0*', 'a <PST> b.').strip() == 'Q : <PST> a <PST> b.'
        PromptTemplate t = PromptTemplate.of("Q : <PST> *sent 0*");
        RenderedPrompt r = t.render("a <PST> b.");
        assertThat(r.hasPlaceholder()).isTrue();
        assertThat(r.before()).isEqualTo("Q : ");
        assertThat(r.after()).isEqualTo(" a <PST> b.");
        assertThat(r.text()).isEqualTo("Q : <PST> a <PST> b.");

        RenderedPrompt v = t.vanilla().render("a <PST> b.");
        assertThat(v.hasPlaceholder()).isFalse();
        assertThat(v.text()).isEqualTo("Q : a <PST> b.");

        // the sentence may even contain the slot markers: it is inserted once, never re-scanned
        assertThat(t.render("{sentence} *sent 0*").text()).isEqualTo("Q : <PST> {sentence} *sent 0*");
    }

    @Test
    void vanillaDropsThePlaceholderAndOneSpace() {
        assertThat(PromptTemplate.of("A : <PST> \"{sentence}\"").vanilla().text()).isEqualTo("A : \"{sentence}\"");
        assertThat(PromptTemplate.of("<PST> {sentence}").vanilla().text()).isEqualTo("{sentence}");
        assertThat(PromptTemplate.of("A <PST>{sentence}").vanilla().text()).isEqualTo("A{sentence}");
        assertThat(PromptTemplate.of("A<PST>{sentence}").vanilla().text()).isEqualTo("A{sentence}");
    }

    @Test
    void equalityIsByText() {
        assertThat(PromptTemplate.of("<PST> {sentence}")).isEqualTo(PromptTemplate.of("<PST> {sentence}"))
                .hasSameHashCodeAs(PromptTemplate.of("<PST> {sentence}"))
                .isNotEqualTo(PromptTemplate.of("<PST> *sent 0*"));
    }
}
