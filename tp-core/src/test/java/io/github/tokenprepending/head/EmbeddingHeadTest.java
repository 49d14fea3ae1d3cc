package io.github.tokenprepending.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.Preset;
import io.github.tokenprepending.Presets;
import io.github.tokenprepending.prompt.PromptTemplate;
import io.github.tokenprepending.prompt.RenderedPrompt;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbeddingHeadTest {

    @Test
    void denseThenNormalize() {
        // W = [[1, 2], [0, -1], [3, 0]], b = [0.5, 0, -1]; x = [1, 1] -> [3.5, -1, 2]
        DenseLayer dense = new DenseLayer(2, 3, new float[] {1, 2, 0, -1, 3, 0}, new float[] {0.5f, 0, -1},
                Activation.IDENTITY);
        assertThat(dense.apply(new float[] {1, 1})).containsExactly(3.5f, -1f, 2f);
        EmbeddingHead head = new EmbeddingHead(Pooling.MEAN, true, List.of(dense), true, Map.of(), null, 0, null);
        float[] v = head.apply(new float[] {1, 1});
        double norm = Math.sqrt(3.5 * 3.5 + 1 + 4);
        assertThat((double) v[0]).isCloseTo(3.5 / norm, within(1e-7));
        assertThat((double) v[1]).isCloseTo(-1 / norm, within(1e-7));
        assertThat(head.dimension(2)).isEqualTo(3);
        assertThatThrownBy(() -> head.dimension(4)).hasMessageContaining("hidden size is 4");
        assertThat(new DenseLayer(1, 1, new float[] {1}, null, Activation.TANH).apply(new float[] {1})[0])
                .isCloseTo((float) Math.tanh(1), within(1e-7f));
    }

    @Test
    void sentenceTransformersNamesParse() {
        assertThat(Pooling.parse("lasttoken")).isEqualTo(Pooling.LAST_TOKEN);
        assertThat(Pooling.parse("weightedmean")).isEqualTo(Pooling.WEIGHTED_MEAN);
        assertThat(Pooling.parse("MEAN")).isEqualTo(Pooling.MEAN);
        assertThatThrownBy(() -> Pooling.parse("max")).hasMessageContaining("supported: lasttoken, mean");
        assertThat(Activation.parse("torch.nn.modules.linear.Identity")).isEqualTo(Activation.IDENTITY);
        assertThat(Activation.parse(null)).as("sentence-transformers' default").isEqualTo(Activation.TANH);
        assertThatThrownBy(() -> Activation.parse("my.Swish")).hasMessageContaining("my.Swish");
    }

    @Test
    void promptsAreNamedAndTheDefaultMustExist() {
        EmbeddingHead head = new EmbeddingHead(Pooling.LAST_TOKEN, true, List.of(), false,
                Map.of("query", "query: "), "query", 0, null);
        assertThat(head.prompt("query")).isEqualTo("query: ");
        assertThatThrownBy(() -> head.prompt("passage")).hasMessageContaining("the model's prompts: query");
        assertThatThrownBy(() -> new EmbeddingHead(Pooling.LAST_TOKEN, true, List.of(), false, Map.of(), "query", 0,
                null)).hasMessageContaining("default_prompt_name 'query'");
    }

    @Test
    void aPrefixPromptKeepsTheTextAsItIs() {
        PromptTemplate t = PromptTemplate.prefix("query: ");
        assertThat(t.vanilla().render("  two  spaces ")).isEqualTo(RenderedPrompt.plain("query:   two  spaces "));
        assertThat(t.render(" x")).isEqualTo(RenderedPrompt.withPlaceholder("query: ", " x"));
        assertThat(t.isPrefix()).isTrue();
        assertThat(PromptTemplate.prefix("").vanilla().render("Hi")).isEqualTo(RenderedPrompt.plain("Hi"));
    }

    @Test
    void embedderIdsFindTheirOwnRecipeNotABaseModelPreset() {
        for (String id : List.of("Qwen/Qwen3-Embedding-0.6B", "Qwen/Qwen3-Embedding-8B",
                "intfloat/e5-mistral-7b-instruct", "Salesforce/SFR-Embedding-Mistral",
                "Linq-AI-Research/Linq-Embed-Mistral", "Alibaba-NLP/gte-Qwen2-1.5B-instruct",
                "Alibaba-NLP/gte-Qwen2-7B-instruct", "NovaSearch/stella_en_1.5B_v5", "dunzhang/stella_en_1.5B_v5",
                "BAAI/bge-multilingual-gemma2")) {
            Preset p = Presets.forModel(id).orElseThrow();
            assertThat(p.isEmbedder()).as(id).isTrue();
            assertThat(p.tp()).as(id).isNull();
        }
        assertThat(Presets.forModel("Qwen/Qwen2-7B").orElseThrow().isEmbedder()).isFalse();
    }
}
