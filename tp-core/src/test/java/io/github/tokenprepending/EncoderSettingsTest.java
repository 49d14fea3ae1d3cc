package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import io.github.tokenprepending.toy.ToyModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EncoderSettingsTest {

    @Test
    void everyTokenPrependingSettingReachesTheEncoder() {
        EncoderSettings s = EncoderSettings.builder().tp(2, 5).outputLayer("after:6").prompt("cot").batchSize(7)
                .maxBatchTokens(300).maxTokens(40).normalize(true).prefixCache(false).build();
        try (SentenceEncoder encoder = s.open(new ToyModel(8))) {
            TpConfig c = encoder.config();
            assertThat(c.tp()).isEqualTo(new TpRange(2, 5));
            assertThat(c.outputLayer()).isEqualTo(OutputLayer.afterLayer(6));
            assertThat(c.prompts().name()).isEqualTo("cot");
            assertThat(c.batchSize()).isEqualTo(7);
            assertThat(c.maxBatchTokens()).isEqualTo(300);
            assertThat(c.maxTokens()).isEqualTo(40);
            assertThat(c.normalize()).isTrue();
            assertThat(c.prefixCache()).isFalse();
        }
    }

    @Test
    void unsetSettingsLeaveThePresetsValues() {
        try (SentenceEncoder encoder = EncoderSettings.builder().preset("llama-2-7b").build()
                .open(new ToyModel(32))) {
            Preset preset = Presets.byName("llama-2-7b");
            assertThat(encoder.config().tp()).isEqualTo(preset.tp());
            assertThat(encoder.config().outputLayer()).isEqualTo(preset.outputLayer());
            assertThat(encoder.config().prompts().name()).isEqualTo(preset.method().id());
        }
    }

    @Test
    void vanillaReadsTheLastLayerUnlessAnOutputLayerIsGiven() {
        try (SentenceEncoder plain = EncoderSettings.builder().vanilla(true).build().open(new ToyModel(8));
                SentenceEncoder early = EncoderSettings.builder().vanilla(true).outputLayer("3").build()
                        .open(new ToyModel(8))) {
            assertThat(plain.config().isVanilla()).isTrue();
            assertThat(plain.config().outputLayer()).isEqualTo(OutputLayer.last());
            assertThat(early.config().outputLayer()).isEqualTo(OutputLayer.hiddenStates(3));
        }
    }

    @Test
    void aTemplateBecomesTheCustomPrompt() {
        String template = "Query : <PST> \"{sentence}\" means in one word:\"";
        try (SentenceEncoder encoder = EncoderSettings.builder().prompt(template).build().open(new ToyModel(8))) {
            assertThat(encoder.config().prompts().templates()).hasSize(1);
            assertThat(encoder.config().prompts().templates().get(0).toString()).contains("Query : ");
        }
    }

    @Test
    void loadOptionsBecomeModelOptions() {
        ModelOptions o = EncoderSettings.builder().device("cuda:1").dtype("bf16").placeholder("gaussian:7")
                .threads(3).build().modelOptions();
        assertThat(o).isEqualTo(new ModelOptions("cuda:1", DType.BFLOAT16, PlaceholderInit.gaussian(7), 3));
        assertThat(EncoderSettings.builder().build().modelOptions()).isEqualTo(ModelOptions.defaults());
        ModelOptions auto = EncoderSettings.builder().dtype("auto").weightsDtype("int8").build().modelOptions();
        assertThat(auto.dtype()).as("auto leaves the choice to the engine").isNull();
        assertThat(auto.weightsDtype()).isEqualTo(DType.INT8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            tp 5 2                 | tp
            tp 1                   | tp
            vanilla with tp        | vanilla
            output layer x         | outputLayer
            prompt unknown         | prompt
            template without PST   | prompt
            words without sentence | prompt
            batch size 0           | batchSize
            max batch tokens 0     | maxBatchTokens
            max tokens -1          | maxTokens
            threads 0              | threads
            dtype fp8              | dtype
            placeholder nope       | placeholder
            preset nope            | preset
            """)
    void aBadSettingIsNamed(String what, String setting) {
        EncoderSettings.Builder b = EncoderSettings.builder();
        switch (what) {
            case "tp 5 2" -> b.tp(5, 2);
            case "tp 1" -> b.tp(List.of(1));
            case "vanilla with tp" -> b.vanilla(true).tp(1, 3);
            case "output layer x" -> b.outputLayer("x");
            case "prompt unknown" -> b.prompt("nosuchmethod");
            case "template without PST" -> b.prompt("This sentence : \"{sentence}\" means in one word:\"");
            case "words without sentence" -> b.prompt("This sentence means");
            case "batch size 0" -> b.batchSize(0);
            case "max batch tokens 0" -> b.maxBatchTokens(0);
            case "max tokens -1" -> b.maxTokens(-1);
            case "threads 0" -> b.threads(0);
            case "dtype fp8" -> b.dtype("fp8");
            case "placeholder nope" -> b.placeholder("nope");
            case "preset nope" -> b.preset("nope");
            default -> throw new AssertionError(what);
        }
        EncoderSettings settings = b.build();
        assertThatThrownBy(settings::validate).isInstanceOfSatisfying(InvalidSettingException.class, e -> {
            assertThat(e.setting()).isEqualTo(setting);
            assertThat(e.getMessage()).startsWith(setting + ": ").endsWith(e.problem());
        });
    }

    @Test
    void aTemplateWithoutPlaceholderIsFineWithoutTokenPrepending() {
        EncoderSettings s = EncoderSettings.builder().vanilla(true)
                .prompt("This sentence : \"{sentence}\" means in one word:\"").build();
        assertThat(s.validate()).isSameAs(s);
    }

    @Test
    void openingWithoutAModelNamesTheSetting() {
        assertThatThrownBy(() -> EncoderSettings.builder().build().open())
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> assertThat(e.setting()).isEqualTo("model"));
    }

    @Test
    void kebabNamesMatchFlagsAndProperties() {
        assertThat(new InvalidSettingException("maxBatchTokens", "x", null).kebabName()).isEqualTo("max-batch-tokens");
        assertThat(new InvalidSettingException("tp", "x", null).kebabName()).isEqualTo("tp");
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        EncoderSettings s = EncoderSettings.builder().model("org/m").tp(1, 7).outputLayer("-2").normalize(true)
                .threads(2).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(s);
        }
    }

    @Test
    void toBuilderCopiesEverySetting() {
        EncoderSettings.Builder b = EncoderSettings.builder();
        EncoderSettings.ALL.forEach(setting -> b.setText(setting, setting.example()));
        EncoderSettings s = b.build();
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(s.asMap()).hasSize(EncoderSettings.ALL.size()).containsEntry("tp", List.of(1, 7))
                .containsEntry("model", "org/model");
    }

    @Test
    void textMapsRoundTripInCamelOrKebabCase() {
        EncoderSettings s = EncoderSettings.fromTextMap(java.util.Map.of("model", "org/m", "tp", "1 7",
                "output-layer", "-2", "maxBatchTokens", "512", "normalize", "true", "threads", " "));
        assertThat(s).isEqualTo(EncoderSettings.builder().model("org/m").tp(1, 7).outputLayer("-2")
                .maxBatchTokens(512).normalize(true).build());
        assertThat(EncoderSettings.fromTextMap(s.toTextMap())).isEqualTo(s);
        assertThat(s.toTextMap()).containsEntry("tp", "1,7").containsEntry("maxBatchTokens", "512");
    }

    @Test
    void textMapsNameBadKeysAndValues() {
        assertThatThrownBy(() -> EncoderSettings.fromTextMap(java.util.Map.of("batch-sise", "3")))
                .isInstanceOfSatisfying(InvalidSettingException.class, e -> {
                    assertThat(e.setting()).isEqualTo("batch-sise");
                    assertThat(e.problem()).contains("batchSize", "maxBatchTokens");
                });
        assertThatThrownBy(() -> EncoderSettings.fromTextMap(java.util.Map.of("batch-size", "many")))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.setting()).isEqualTo("batchSize"));
        assertThatThrownBy(() -> EncoderSettings.fromTextMap(java.util.Map.of("normalize", "yes")))
                .isInstanceOfSatisfying(InvalidSettingException.class,
                        e -> assertThat(e.problem()).contains("true or false"));
    }
}
