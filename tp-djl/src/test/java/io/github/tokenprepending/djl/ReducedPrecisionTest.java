package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.LayerLoop;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.conformance.HashingTokenizer;
import io.github.tokenprepending.prompt.PromptMethod;
import io.github.tokenprepending.prompt.SentencePreprocessor;
import io.github.tokenprepending.spi.DType;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.PlaceholderInit;
import io.github.tokenprepending.spi.TokenBatch;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GPU dtypes on the CPU: bfloat16 lives only inside TorchScript (DJL cannot hold it on the host), float16 is
 * created from Java. Both must run every block and land near the float32 result. The bounds catch gross errors
 * (a missing cast, a scale rounded twice, a mask that overflows), not precision: bfloat16 keeps 8 mantissa bits, and
 * the golden Gemma2 checkpoint (attention logits large enough to hit the soft-cap) amplifies its rounding to ~12%
 * of the vectors' scale after six layers; float16 stays under 3% (2.08% measured for Gemma2 on an AVX512-BF16 CPU
 * without AMX, under 2% with AMX: the 16-bit kernels differ per CPU).
 */
class ReducedPrecisionTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({"llama, BFLOAT16", "llama, FLOAT16", "llama3, BFLOAT16", "qwen2, BFLOAT16", "gemma2, BFLOAT16",
        "gemma2, FLOAT16"})
    void reducedPrecisionStaysCloseToFloat32(String family, DType dtype) throws Exception {
        float[][] reference = run(family, DType.FLOAT32);
        float[][] reduced = run(family, dtype);
        for (int r = 0; r < reference.length; r++) {
            double scale = 0;
            double diff = 0;
            for (int d = 0; d < reference[r].length; d++) {
                assertThat(Float.isFinite(reduced[r][d])).as("finite").isTrue();
                scale = Math.max(scale, Math.abs(reference[r][d]));
                diff = Math.max(diff, Math.abs(reference[r][d] - reduced[r][d]));
            }
            assertThat(diff / scale).as("%s %s row %d: max |diff| / max |value|", family, dtype, r)
                    .isLessThan(dtype == DType.BFLOAT16 ? 0.2 : 0.03);
        }
    }

    private static float[][] run(String family, DType dtype) throws Exception {
        ModelOptions options = ModelOptions.defaults().withDtype(dtype).withPlaceholder(PlaceholderInit.zeros());
        try (DjlLayerwiseModel model = DjlModels.load(GoldenModels.dir(family), new HashingTokenizer(299, 3, 1, 299),
                options)) {
            assertThat(model.info().dtype()).isEqualTo(dtype);
            List<TokenizedPrompt> prompts = new ArrayList<>();
            for (String s : new String[] {"A man is playing a guitar on the street.", "Dogs run.",
                "The quick brown fox jumps over the lazy dog near the river bank at dawn."}) {
                prompts.add(model.tokenizer().encode(PromptMethod.PROMPTEOL.templates().get(0)
                        .render(SentencePreprocessor.paper().apply(s))));
            }
            int layers = model.info().numLayers();
            return LayerLoop.run(model, TokenBatch.of(prompts), PassPlan.layers(layers).withLastTokenOnly(),
                    new TpRange(1, 3));
        }
    }
}
