package io.github.tokenprepending.djl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.OutputLayer;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.TpRange;
import io.github.tokenprepending.djl.golden.GoldenFiles;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.TokenizedPrompt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole pipeline on real text and real weights: the golden set of stories260K-hf holds six sentences, the
 * official ids of their PromptEOL prompts, and the official last-token states for every output layer. Raw
 * sentences go through our preprocessing, template, tokenizer, length-sorted batching, prefix cache, Token
 * Prepending loop and early exit, and must land on the official numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Stories260kEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DjlLayerwiseModel model;
    private JsonNode inputs;
    private List<String> sentences;

    @BeforeAll
    void load(@TempDir Path dir) throws Exception {
        model = DjlModels.load(Stories260k.writeTo(dir), ModelOptions.defaults());
        Path golden = GoldenModels.dir("stories260K-hf").getParent();
        inputs = JSON.readTree(golden.resolve("inputs.json").toFile());
        sentences = new ArrayList<>();
        inputs.get("sentences").forEach(s -> sentences.add(s.asText()));
    }

    @AfterAll
    void close() {
        model.close();
    }

    static Stream<Arguments> settings() {
        List<Arguments> out = new ArrayList<>();
        for (boolean cache : new boolean[] {true, false}) {
            out.add(Arguments.of("tp_s1_e3", new TpRange(1, 3), cache));
            out.add(Arguments.of("tp_s1_e99", new TpRange(1, 99), cache));
            out.add(Arguments.of("vanilla_prompt_without_pst", null, cache));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, prefix cache {2}")
    @MethodSource("settings")
    void embeddingsMatchTheOfficialCodeAtEveryLayer(String setting, TpRange tp, boolean cache) throws Exception {
        float[][][] expected = GoldenFiles.lastToken(GoldenModels.dir("stories260K-hf").getParent()
                .resolve(setting).resolve("last_token.npy"));
        for (int k = 0; k <= model.info().numLayers(); k++) {
            TpConfig config = TpConfig.builder().tp(tp).outputLayer(OutputLayer.hiddenStates(k)).batchSize(4)
                    .prefixCache(cache).build();
            try (TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config)) {
                List<float[]> ours = encoder.embed(sentences);
                for (int r = 0; r < sentences.size(); r++) {
                    assertThat(maxDiff(ours.get(r), expected[k][r])).as("%s k=%d sentence %d", setting, k, r)
                            .isLessThanOrEqualTo(1e-4);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settings")
    void promptIdsMatchTheOfficialCode(String setting, TpRange tp, boolean cache) {
        JsonNode in = tp == null ? inputs.get("vanilla_prompt_without_pst") : inputs;
        TpConfig config = TpConfig.builder().tp(tp).build();
        try (TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config)) {
            for (int r = 0; r < sentences.size(); r++) {
                TokenizedPrompt prompt = encoder.tokenize(sentences.get(r)).get(0);
                List<Integer> want = new ArrayList<>();
                for (int c = 0; c < in.get("input_ids").get(r).size(); c++) {
                    if (in.get("attention_mask").get(r).get(c).asInt() == 1) {
                        want.add(in.get("input_ids").get(r).get(c).asInt());
                    }
                }
                assertThat(prompt.ids()).as("%s sentence %d", setting, r)
                        .containsExactly(want.stream().mapToInt(Integer::intValue).toArray());
            }
        }
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
