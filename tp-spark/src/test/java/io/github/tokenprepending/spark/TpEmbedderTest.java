package io.github.tokenprepending.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.jdk.javaapi.CollectionConverters;

class TpEmbedderTest {
    @TempDir
    Path dir;

    private final EncoderSettings settings = SharedSpark.toyModel().toBuilder().maxBatchTokens(512).normalize(true)
            .build();

    @Test
    void pipelineSavedAndLoadedKeepsItsEncoderSettings() throws Exception {
        SharedSpark.session();
        List<String> texts = Arrays.asList("Tom ran.", "The little girl played in the park.", null,
                "A big dog found a shiny red ball under the tree.");
        Dataset<Row> in = TpSparkTest.frame(texts, 2);
        // not the toy model's preset (TP before layer 1 only): a load that lost the settings would embed differently
        EncoderSettings saved = settings.toBuilder().tp(1, 4).build();
        TpEmbedder embedder = new TpEmbedder().setInputCol("clean").setOutputCol("vec")
                .setEncoderSettings(saved).setSkipEmpty(true);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {
            new SQLTransformer().setStatement("SELECT id, lower(text) AS clean FROM __THIS__"), embedder});

        PipelineModel model = pipeline.fit(in);
        List<Row> before = model.transform(in).collectAsList();
        String path = dir.resolve("pipeline").toString();
        model.save(path);
        PipelineModel loaded = PipelineModel.load(path);
        List<Row> after = loaded.transform(in).collectAsList();

        TpEmbedder stage = (TpEmbedder) loaded.stages()[1];
        assertThat(stage.uid()).isEqualTo(embedder.uid());
        assertThat(stage.getInputCol()).isEqualTo("clean");
        assertThat(stage.getOutputCol()).isEqualTo("vec");
        assertThat(stage.getSkipEmpty()).isTrue();
        assertThat(stage.getEncoderSettings()).isEqualTo(saved);
        assertThat(after).isEqualTo(before);

        assertThat(after.get(2).isNullAt(2)).isTrue();
        try (SentenceEncoder withSaved = saved.open(); SentenceEncoder withPreset = settings.open()) {
            for (int row : new int[] {0, 1, 3}) {
                String text = after.get(row).getString(1);
                float[] loadedVector = floats(after.get(row).getList(2));
                TpSparkTest.assertClose(loadedVector, withSaved.embed(text));
                float[] preset = withPreset.embed(text);
                double largest = 0;
                for (int k = 0; k < preset.length; k++) {
                    largest = Math.max(largest, Math.abs(preset[k] - loadedVector[k]));
                }
                assertThat(largest).as("row %d differs from the preset's embedding", row).isGreaterThan(1e-3);
            }
        }
    }

    /** A trained embedder in Spark with the promptName parameter: sentence-transformers' vectors for that prompt. */
    @Test
    void thePromptNameParameterGivesSentenceTransformersVectors() {
        SharedSpark.session();
        io.github.tokenprepending.djl.sentencetransformers.StModels.Golden golden =
                io.github.tokenprepending.djl.sentencetransformers.StModels.golden("qwen3-embedding");
        Path model = io.github.tokenprepending.djl.sentencetransformers.StModels.unpack("qwen3-embedding", dir);
        TpEmbedder embedder = new TpEmbedder().setInputCol("text").setOutputCol("vec")
                .setEncoderSettings(EncoderSettings.builder().model(model.toString()).dtype("fp32").build());
        embedder.set(embedder.promptName(), "query");
        List<Row> rows = embedder.transform(TpSparkTest.frame(golden.sentences(), 2)).orderBy("id").collectAsList();
        float[][] expected = golden.find("prompt_query").embeddings();
        for (int i = 0; i < expected.length; i++) {
            TpSparkTest.assertClose(floats(rows.get(i).getList(2)), expected[i]);
        }
    }

    @Test
    void settingsGoThroughEncoderSettingsNamesCamelOrKebab() {
        TpEmbedder embedder = new TpEmbedder().setEncoderSetting("max-batch-tokens", "512")
                .setEncoderSetting("normalize", "true").setEncoderSetting("tp", "1 2");
        assertThat(embedder.getEncoderSettings())
                .isEqualTo(EncoderSettings.builder().maxBatchTokens(512).normalize(true).tp(1, 2).build());
        assertThatThrownBy(() -> embedder.setEncoderSetting("batchTokens", "5"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("batchTokens")
                .hasMessageContaining("maxBatchTokens");
        assertThatThrownBy(() -> embedder.setEncoderSetting("maxBatchTokens", "0"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("at least 1");
    }

    @Test
    void aParamGridSweepsTheTpRangeTheOutputLayerAndThePrompt() {
        SharedSpark.session();
        TpEmbedder embedder = new TpEmbedder().setInputCol("text").setEncoderSettings(settings);
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(embedder.tp(), CollectionConverters.asScala(List.of(new int[] {1, 2}, new int[] {2, 4})))
                .addGrid(embedder.outputLayer(), CollectionConverters.asScala(List.of("-1", "after:3")))
                .addGrid(embedder.prompt(), CollectionConverters.asScala(List.of("prompteol", "ke")))
                .build();
        assertThat(grid).hasSize(8);
        Dataset<Row> in = TpSparkTest.frame(List.of("Tom ran."), 1);
        Set<List<Float>> vectors = new HashSet<>();
        for (ParamMap point : grid) {
            int[] tp = point.apply(embedder.tp());
            EncoderSettings expected = settings.toBuilder().tp(tp[0], tp[1])
                    .outputLayer(point.apply(embedder.outputLayer())).prompt(point.apply(embedder.prompt())).build();
            TpEmbedder swept = embedder.copy(point);
            assertThat(swept.getEncoderSettings()).isEqualTo(expected);
            List<Float> vector = swept.transform(in).collectAsList().get(0).getList(2);
            try (SentenceEncoder direct = expected.open()) {
                TpSparkTest.assertClose(floats(vector), direct.embed("Tom ran."));
            }
            vectors.add(vector);
        }
        assertThat(vectors).as("every point of the grid embeds differently").hasSize(8);
    }

    @Test
    void settingParamsAreSavedWithTheStage() throws Exception {
        TpEmbedder embedder = new TpEmbedder().setInputCol("text").setEncoderSettings(settings);
        embedder.set(embedder.tp(), new int[] {2, 3});
        embedder.set(embedder.outputLayer(), "-2");
        String path = dir.resolve("embedder").toString();
        SharedSpark.session();
        embedder.save(path);
        assertThat(TpEmbedder.load(path).getEncoderSettings())
                .isEqualTo(settings.toBuilder().tp(2, 3).outputLayer("-2").build());
    }

    @Test
    void schemaIsCheckedWithoutRunning() {
        TpEmbedder embedder = new TpEmbedder();
        assertThatThrownBy(() -> embedder.transformSchema(TpSparkTest.SCHEMA)).hasMessageContaining("inputCol is not set");
        assertThat(embedder.setInputCol("text").transformSchema(TpSparkTest.SCHEMA).fieldNames())
                .containsExactly("id", "text", "embedding");
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
