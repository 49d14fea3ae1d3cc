package io.github.tokenprepending.prompt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptSetTest {

    @Test
    void ofAMethodUsesItsTemplatesAndThePaperPreprocessing() {
        PromptSet set = PromptSet.of(PromptMethod.METAEOL);
        assertThat(set.name()).isEqualTo("metaeol");
        assertThat(set.templates()).isEqualTo(PromptMethod.METAEOL.templates()).hasSize(8);
        assertThat(set.preprocessor().apply("Why?")).isEqualTo("Why.");
        set.requirePlaceholders();
    }

    @Test
    void customParsesTheTemplateWithThePaperPreprocessing() {
        PromptSet set = PromptSet.custom("This passage : <PST> \"{sentence}\" means in one word:\"");
        assertThat(set.name()).isEqualTo("custom");
        assertThat(set.templates()).containsExactly(
                PromptTemplate.of("This passage : <PST> \"{sentence}\" means in one word:\""));
        assertThat(set.preprocessor().apply("a  \"b\"")).isEqualTo("a 'b'");
        set.requirePlaceholders();
        assertThatThrownBy(() -> PromptSet.custom("no slot <PST>")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no sentence slot");
    }

    @Test
    void requirePlaceholdersNamesTheTemplateWithoutOne() {
        PromptSet set = new PromptSet("mixed",
                List.of(PromptTemplate.of("A <PST> {sentence}"), PromptTemplate.of("Plain : {sentence} !")),
                SentencePreprocessor.paper());
        assertThatThrownBy(set::requirePlaceholders)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("<PST>")
                .hasMessageContaining("Plain : {sentence} !");
    }

    @Test
    void validatesItsParts() {
        assertThatThrownBy(() -> new PromptSet("x", List.of(), SentencePreprocessor.paper()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one template");
        assertThatThrownBy(() -> new PromptSet("x", null, SentencePreprocessor.paper()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PromptSet(null, PromptMethod.PROMPTEOL.templates(),
                SentencePreprocessor.paper())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new PromptSet("x", PromptMethod.PROMPTEOL.templates(), null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void templatesAreCopiedAndImmutable() {
        List<PromptTemplate> list = new ArrayList<>(PromptMethod.PROMPTEOL.templates());
        PromptSet set = new PromptSet("x", list, SentencePreprocessor.none());
        list.add(PromptTemplate.of("<PST> {sentence}"));
        assertThat(set.templates()).hasSize(1);
        assertThatThrownBy(() -> set.templates().add(PromptTemplate.of("<PST> {sentence}")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void withPreprocessorKeepsNameAndTemplates() {
        PromptSet set = PromptSet.of(PromptMethod.PRETENDED_COT).withPreprocessor(SentencePreprocessor.none());
        assertThat(set.name()).isEqualTo("cot");
        assertThat(set.templates()).isEqualTo(PromptMethod.PRETENDED_COT.templates());
        assertThat(set.preprocessor().apply("Why?")).isEqualTo("Why?");
    }
}
