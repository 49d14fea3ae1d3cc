package io.github.tokenprepending.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link DType}, {@link PlaceholderInit}, {@link ModelOptions} and {@link ModelInfo}. */
class OptionsParsingTest {

    @ParameterizedTest
    @CsvSource({
        "fp32, FLOAT32", "float32, FLOAT32", "f32, FLOAT32", "float, FLOAT32", "' FP32 ', FLOAT32",
        "fp16, FLOAT16", "float16, FLOAT16", "f16, FLOAT16", "half, FLOAT16", "Float16, FLOAT16",
        "bf16, BFLOAT16", "bfloat16, BFLOAT16", "BF16, BFLOAT16", "int8, INT8", "I8, INT8"
    })
    void parsesDtypes(String text, DType expected) {
        assertThat(DType.parse(text)).isEqualTo(expected);
    }

    @Test
    void rejectsUnknownDtypes() {
        assertThatThrownBy(() -> DType.parse("int4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'int4'").hasMessageContaining("fp32").hasMessageContaining("bf16")
                .hasMessageContaining("int8");
    }

    @Test
    void parsesPlaceholderInits() {
        assertThat(PlaceholderInit.parse("zeros")).isEqualTo(PlaceholderInit.zeros()).isInstanceOf(
                PlaceholderInit.Zeros.class);
        assertThat(PlaceholderInit.parse(" checkpoint ")).isEqualTo(PlaceholderInit.checkpointRow());
        assertThat(PlaceholderInit.parse("gaussian")).as("the official seed 3407")
                .isEqualTo(new PlaceholderInit.Gaussian(3407));
        assertThat(PlaceholderInit.parse("gaussian:7")).isEqualTo(PlaceholderInit.gaussian(7));
        assertThat(PlaceholderInit.parse("gaussian:-1")).isEqualTo(PlaceholderInit.gaussian(-1));
        assertThat(PlaceholderInit.parse("token:29871")).isEqualTo(new PlaceholderInit.CopyOfToken(29871))
                .isEqualTo(PlaceholderInit.copyOf(29871));
    }

    @Test
    void rejectsBadPlaceholderInits() {
        assertThatThrownBy(() -> PlaceholderInit.parse("ones")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ones'").hasMessageContaining("gaussian[:SEED]");
        assertThatThrownBy(() -> PlaceholderInit.parse("gaussian:x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad number");
        assertThatThrownBy(() -> PlaceholderInit.parse("token:")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad number");
    }

    @Test
    void modelOptionsDefaults() {
        ModelOptions d = ModelOptions.defaults();
        assertThat(d.device()).isEqualTo("cpu");
        assertThat(d.dtype()).isNull();
        assertThat(d.placeholder()).isEqualTo(PlaceholderInit.zeros());
        assertThat(d.isGpu()).isFalse();
        assertThat(new ModelOptions(null, null, null)).isEqualTo(d);
        assertThat(new ModelOptions("  ", null, null).device()).isEqualTo("cpu");
        assertThat(new ModelOptions(" cuda:1 ", null, null).device()).isEqualTo("cuda:1");
    }

    @Test
    void modelOptionsWithers() {
        ModelOptions o = ModelOptions.defaults().withDevice("cuda:0").withDtype(DType.BFLOAT16)
                .withPlaceholder(PlaceholderInit.gaussian(1));
        assertThat(o).isEqualTo(new ModelOptions("cuda:0", DType.BFLOAT16, PlaceholderInit.gaussian(1)));
        assertThat(o.withDtype(null).dtype()).isNull();
        assertThat(o.withDevice(null).device()).isEqualTo("cpu");
        assertThatThrownBy(() -> o.withPlaceholder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void gpuDevices() {
        for (String gpu : new String[] {"cuda", "cuda:0", "cuda:3", "gpu", "gpu:1"}) {
            assertThat(ModelOptions.defaults().withDevice(gpu).isGpu()).as(gpu).isTrue();
        }
        assertThat(ModelOptions.defaults().withDevice("cpu").isGpu()).isFalse();
    }

    @Test
    void modelInfoNeedsLayersAHiddenSizeAndWidenedLayersItHas() {
        ModelInfo ok = new ModelInfo("llama", "mistral", 32, 4096, 32000, 4096, 32000, 1, DType.FLOAT32, "cpu",
                DType.FLOAT32, "asked for", 0);
        assertThat(ok.numLayers()).isEqualTo(32);
        assertThatThrownBy(() -> new ModelInfo("x", "x", 0, 8, 10, 10, 9, 1, DType.FLOAT32, "cpu",
                DType.FLOAT32, "asked for", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ModelInfo("x", "x", 1, 0, 10, 10, 9, 1, DType.FLOAT32, "cpu",
                DType.FLOAT32, "asked for", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ModelInfo("x", "x", 2, 8, 10, 10, 9, 1, DType.FLOAT32, "cpu", DType.FLOAT16, "asked for", 2)
                .widenedLayers()).isEqualTo(2);
        assertThatThrownBy(() -> new ModelInfo("x", "x", 2, 8, 10, 10, 9, 1, DType.FLOAT32, "cpu", DType.FLOAT16,
                "asked for", 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("widened layers must be 0 to 2, not 3");
    }
}
