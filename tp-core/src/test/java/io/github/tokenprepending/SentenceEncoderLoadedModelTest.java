package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PlaceholderInit;
import io.github.tokenprepending.toy.ToyModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code SentenceEncoder.builder().model(loadedModel)}: no resolution, the default preset of its layer count. */
class SentenceEncoderLoadedModelTest {

    @Test
    void aLoadedModelGetsTheDefaultPresetOfItsLayerCountAndEmbedsLikeTheEncoder() {
        ToyModel model = new ToyModel(8);
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(model).batchSize(2).build()) {
            Preset expected = Presets.defaultFor(8);
            assertThat(encoder.preset()).isEqualTo(expected);
            assertThat(encoder.config().tp()).isEqualTo(expected.tp());
            assertThat(encoder.config().outputLayer()).isEqualTo(expected.outputLayer());
            assertThat(encoder.modelDirectory()).isNull();
            List<String> sentences = List.of("A man plays a guitar.", "Dogs run.");
            TpConfig config = expected.applyTo(TpConfig.builder()).batchSize(2).build();
            try (TokenPrependingEncoder direct = new TokenPrependingEncoder(model, config)) {
                List<float[]> want = direct.embed(sentences);
                List<float[]> got = encoder.embed(sentences);
                for (int i = 0; i < sentences.size(); i++) {
                    assertThat(got.get(i)).containsExactly(want.get(i));
                }
            }
        }
    }

    @Test
    void explicitSettingsOverrideThePreset() {
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(new ToyModel(8)).tp(0, 3).outputLayer(-1)
                .build()) {
            assertThat(encoder.config().tp()).isEqualTo(new TpRange(0, 3));
            assertThat(encoder.config().outputLayer()).isEqualTo(OutputLayer.last());
        }
    }

    @Test
    void vanillaReadsTheLastLayerUnlessAnOutputLayerIsGivenAndTheLastOfTpOrVanillaWins() {
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(new ToyModel(8)).vanilla().build()) {
            assertThat(encoder.config().isVanilla()).isTrue();
            assertThat(encoder.config().outputLayer()).isEqualTo(OutputLayer.last());
        }
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(new ToyModel(8)).outputLayer(-2).vanilla()
                .build()) {
            assertThat(encoder.config().outputLayer()).isEqualTo(OutputLayer.hiddenStates(-2));
        }
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(new ToyModel(8)).vanilla().tp(0, 2).build()) {
            assertThat(encoder.config().tp()).isEqualTo(new TpRange(0, 2));
            assertThat(encoder.config().outputLayer()).isEqualTo(Presets.defaultFor(8).outputLayer());
        }
    }

    @Test
    void aWholeConfigReplacesThePresetAndSingleSettingsStillOverrideIt() {
        TpConfig given = TpConfig.builder().tp(0, 2).outputLayer(OutputLayer.hiddenStates(-2)).batchSize(3).build();
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(new ToyModel(8)).batchSize(5).config(given)
                .build()) {
            assertThat(encoder.config()).isEqualTo(given.toBuilder().batchSize(5).build());
        }
    }

    @Test
    void loadOptionsAreOneValueThatSingleSettersChange() {
        ModelOptions given = new ModelOptions("cpu", DType.FLOAT16, PlaceholderInit.gaussian(7), 3);
        assertThat(SentenceEncoder.builder().threads(2).options(given).device("cuda:1").modelOptions())
                .isEqualTo(given.withDevice("cuda:1"));
    }

    @Test
    void badSettingsFailTheBuild() {
        assertThatThrownBy(() -> SentenceEncoder.builder().model(new ToyModel(4)).outputLayer(9).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside a model with 4 layers");
    }
}
