package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void badSettingsFailTheBuild() {
        assertThatThrownBy(() -> SentenceEncoder.builder().model(new ToyModel(4)).outputLayer(9).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside a model with 4 layers");
    }
}
