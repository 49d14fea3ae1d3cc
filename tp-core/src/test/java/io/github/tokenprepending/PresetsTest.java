package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.PromptSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PAPER.md "Settings of the official code (config.yaml)". */
class PresetsTest {

    private static void assertPreset(Preset p, String name, PromptMethod method, int output, int start, int exit) {
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.method()).as("%s prompt", name).isEqualTo(method);
        assertThat(p.outputLayer()).as("%s output layer", name).isEqualTo(OutputLayer.hiddenStates(output));
        assertThat(p.tp()).as("%s TP range", name).isEqualTo(new TpRange(start, exit));
    }

    @Test
    void theFiveOfficialPresetsAreTheConfigTable() {
        assertThat(Presets.all()).hasSize(5);
        assertPreset(Presets.all().get(0), "llama-2-7b", PromptMethod.PROMPTEOL, 27, 1, 7);
        assertPreset(Presets.all().get(1), "llama-2-13b", PromptMethod.PRETENDED_COT, -2, 1, 7);
        assertPreset(Presets.all().get(2), "llama-3-8b", PromptMethod.PRETENDED_COT, -2, 1, 3);
        assertPreset(Presets.all().get(3), "qwen2-7b", PromptMethod.PRETENDED_COT, -2, 1, 6);
        assertPreset(Presets.all().get(4), "gemma2-9b", PromptMethod.PRETENDED_COT, -2, 1, 6);
    }

    @Test
    void qwen3SizesFollowTheDefaultDepthRule() {
        // layer counts of the published Qwen3 configs; numbers by hand: round(27L/32), 1..round(7L/32)
        assertPreset(Presets.byName("qwen3-0.6b"), "qwen3-0.6b", PromptMethod.PROMPTEOL, 24, 1, 6);
        assertPreset(Presets.byName("qwen3-1.7b"), "qwen3-1.7b", PromptMethod.PROMPTEOL, 24, 1, 6);
        assertPreset(Presets.byName("qwen3-4b"), "qwen3-4b", PromptMethod.PROMPTEOL, 30, 1, 8);
        assertPreset(Presets.byName("qwen3-8b"), "qwen3-8b", PromptMethod.PROMPTEOL, 30, 1, 8);
        assertPreset(Presets.byName("qwen3-14b"), "qwen3-14b", PromptMethod.PROMPTEOL, 34, 1, 9);
        assertPreset(Presets.byName("qwen3-32b"), "qwen3-32b", PromptMethod.PROMPTEOL, 54, 1, 14);
        assertThat(Presets.byDepthRule()).hasSize(6).noneMatch(Presets.all()::contains);
    }

    @ParameterizedTest
    @CsvSource({
        "Qwen/Qwen3-0.6B, qwen3-0.6b",
        "Qwen/Qwen3-0.6B-Base, qwen3-0.6b",
        "Qwen/Qwen3-1.7B, qwen3-1.7b",
        "Qwen/Qwen3-4B, qwen3-4b",
        "Qwen/Qwen3-8B, qwen3-8b",
        "Qwen/Qwen3-14B, qwen3-14b",
        "Qwen/Qwen3-32B, qwen3-32b",
    })
    void forModelFindsQwen3Ids(String id, String preset) {
        assertThat(Presets.forModel(id)).map(Preset::name).contains(preset);
    }

    @Test
    void byNameIgnoresCaseAndPunctuation() {
        assertPreset(Presets.byName("llama-2-7b"), "llama-2-7b", PromptMethod.PROMPTEOL, 27, 1, 7);
        assertThat(Presets.byName("Llama_2_13B").name()).isEqualTo("llama-2-13b");
        assertThat(Presets.byName("LLAMA3-8B").name()).isEqualTo("llama-3-8b");
        assertThat(Presets.byName("qwen2-7b").name()).isEqualTo("qwen2-7b");
        assertThat(Presets.byName("Gemma2 9B").name()).isEqualTo("gemma2-9b");
        assertThatThrownBy(() -> Presets.byName("mistral-7b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mistral-7b'").hasMessageContaining("llama-2-7b")
                .hasMessageContaining("gemma2-9b");
    }

    @ParameterizedTest
    @CsvSource({
        "meta-llama/Llama-2-7b-hf, llama-2-7b",
        "meta-llama/Llama-2-7b-chat-hf, llama-2-7b",
        "meta-llama/Llama-2-13b-hf, llama-2-13b",
        "meta-llama/Llama-2-13b-chat-hf, llama-2-13b",
        "meta-llama/Meta-Llama-3-8B, llama-3-8b",
        "meta-llama/Meta-Llama-3-8B-Instruct, llama-3-8b",
        "meta-llama/Llama-3.1-8B-Instruct, llama-3-8b",
        "meta-llama/Meta-Llama-3.1-8B, llama-3-8b",
        "Qwen/Qwen2-7B, qwen2-7b",
        "Qwen/Qwen2-7B-Instruct, qwen2-7b",
        "google/gemma-2-9b, gemma2-9b",
        "google/gemma-2-9b-it, gemma2-9b",
        "/models/hub/Llama-2-7b-hf, llama-2-7b",
        "C:\\models\\gemma-2-9b, gemma2-9b",
        "meta-llama/Llama-2-7b-hf/, llama-2-7b",
    })
    void forModelFindsRealModelIds(String id, String preset) {
        Optional<Preset> p = Presets.forModel(id);
        assertThat(p).as(id).isPresent();
        assertThat(p.get().name()).isEqualTo(preset);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "meta-llama/Llama-2-70b-hf", "meta-llama/Meta-Llama-3-70B", "meta-llama/Llama-3.1-70B-Instruct",
        "meta-llama/Llama-3.2-1B", "Qwen/Qwen2.5-7B", "Qwen/Qwen2-72B", "Qwen/Qwen2-57B-A14B",
        "google/gemma-2-27b", "google/gemma-2-2b", "google/gemma-7b", "mistralai/Mistral-7B-v0.1",
        "gpt2", ""
    })
    void forModelDoesNotMatchOtherModels(String id) {
        assertThat(Presets.forModel(id)).as(id).isEmpty();
    }

    @Test
    void defaultForThirtyTwoLayersIsLlama2SevenB() {
        Preset d = Presets.defaultFor(32);
        Preset llama = Presets.byName("llama-2-7b");
        assertThat(d.method()).isEqualTo(llama.method());
        assertThat(d.outputLayer()).isEqualTo(llama.outputLayer());
        assertThat(d.tp()).isEqualTo(llama.tp());
        assertThat(d.name()).isEqualTo("default");
    }

    @Test
    void defaultForScalesToSmallModels() {
        // 8 * 7/32 = 1.75 -> 2; 8 * 27/32 = 6.75 -> 7
        Preset d = Presets.defaultFor(8);
        assertThat(d.tp()).isEqualTo(new TpRange(1, 2));
        assertThat(d.outputLayer()).isEqualTo(OutputLayer.hiddenStates(7));
        assertThat(d.method()).isEqualTo(PromptMethod.PROMPTEOL);
        // 40 * 7/32 = 8.75 -> 9; 40 * 27/32 = 33.75 -> 34
        assertThat(Presets.defaultFor(40).tp()).isEqualTo(new TpRange(1, 9));
        assertThat(Presets.defaultFor(40).outputLayer()).isEqualTo(OutputLayer.hiddenStates(34));
        for (int layers = 1; layers <= 80; layers++) {
            Preset p = Presets.defaultFor(layers);
            int run = p.outputLayer().layersToRun(layers);
            assertThat(run).as("%d layers", layers).isBetween(1, layers);
            assertThat(p.tp().exit()).as("%d layers", layers).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void applyToSetsPromptOutputAndRange() {
        TpConfig c = Presets.byName("qwen2-7b").applyTo(TpConfig.builder().batchSize(4).normalize(true)).build();
        assertThat(c.prompts()).isEqualTo(PromptSet.of(PromptMethod.PRETENDED_COT));
        assertThat(c.outputLayer()).isEqualTo(OutputLayer.hiddenStates(-2));
        assertThat(c.tp()).isEqualTo(new TpRange(1, 6));
        assertThat(c.batchSize()).isEqualTo(4);
        assertThat(c.normalize()).isTrue();
    }
}
