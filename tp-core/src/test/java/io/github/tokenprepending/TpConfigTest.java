package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import io.github.tokenprepending.prompt.PromptTemplate;
import org.junit.jupiter.api.Test;

class TpConfigTest {

    @Test
    void builderDefaults() {
        TpConfig c = TpConfig.builder().build();
        assertThat(c.tp()).isEqualTo(new TpRange(1, 7));
        assertThat(c.isVanilla()).isFalse();
        assertThat(c.outputLayer()).isEqualTo(OutputLayer.hiddenStates(-1));
        assertThat(c.prompts().name()).isEqualTo("prompteol");
        assertThat(c.prompts().templates()).isEqualTo(PromptMethod.PROMPTEOL.templates());
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.maxBatchTokens()).isEqualTo(8192);
        assertThat(c.maxTokens()).isZero();
        assertThat(c.normalize()).isFalse();
        assertThat(c.prefixCache()).isTrue();
    }

    @Test
    void builderSetsEveryField() {
        TpConfig c = TpConfig.builder().tp(0, 2).outputLayer(27).prompt(PromptMethod.METAEOL).batchSize(3)
                .maxBatchTokens(100).maxTokens(50).normalize(true).prefixCache(false).build();
        assertThat(c.tp()).isEqualTo(new TpRange(0, 2));
        assertThat(c.outputLayer()).isEqualTo(OutputLayer.hiddenStates(27));
        assertThat(c.prompts().templates()).hasSize(8);
        assertThat(c.batchSize()).isEqualTo(3);
        assertThat(c.maxBatchTokens()).isEqualTo(100);
        assertThat(c.maxTokens()).isEqualTo(50);
        assertThat(c.normalize()).isTrue();
        assertThat(c.prefixCache()).isFalse();
        assertThat(c.toBuilder().build()).isEqualTo(c);
        assertThat(TpConfig.builder().outputLayer(OutputLayer.afterLayer(3)).tp(new TpRange(2, 5)).build())
                .extracting(TpConfig::outputLayer, TpConfig::tp)
                .containsExactly(OutputLayer.afterLayer(3), new TpRange(2, 5));
    }

    @Test
    void vanillaHasNoRange() {
        TpConfig c = TpConfig.builder().vanilla().build();
        assertThat(c.isVanilla()).isTrue();
        assertThat(c.tp()).isNull();
        assertThat(TpConfig.builder().tp((TpRange) null).build().isVanilla()).isTrue();
    }

    @Test
    void tokenPrependingNeedsAPlaceholderInEveryTemplateButVanillaDoesNot() {
        assertThatThrownBy(() -> TpConfig.builder().template("Summarize: {sentence}").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("<PST>")
                .hasMessageContaining("Summarize: {sentence}");
        TpConfig vanilla = TpConfig.builder().template("Summarize: {sentence}").vanilla().build();
        assertThat(vanilla.prompts().templates()).containsExactly(PromptTemplate.of("Summarize: {sentence}"));
        TpConfig custom = TpConfig.builder().template("Passage : <PST> \"{sentence}\" means in one word:\"").build();
        assertThat(custom.prompts().name()).isEqualTo("custom");
        assertThat(TpConfig.builder().prompts(PromptSet.of(PromptMethod.KNOWLEDGE_ENHANCEMENT)).build().prompts()
                .name()).isEqualTo("ke");
    }

    @Test
    void rejectsBadNumbersWithTheValue() {
        assertThatThrownBy(() -> TpConfig.builder().batchSize(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch size").hasMessageContaining("0");
        assertThatThrownBy(() -> TpConfig.builder().maxBatchTokens(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max batch tokens");
        assertThatThrownBy(() -> TpConfig.builder().maxTokens(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThat(TpConfig.builder().batchSize(1).maxBatchTokens(1).maxTokens(0).build().batchSize()).isEqualTo(1);
    }

    @Test
    void rejectsMissingParts() {
        assertThatThrownBy(() -> TpConfig.builder().outputLayer((OutputLayer) null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("outputLayer");
        assertThatThrownBy(() -> TpConfig.builder().prompts(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("prompts");
        assertThatThrownBy(() -> TpConfig.builder().tp(2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
