package io.github.tokenprepending.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedJobTest {
    @TempDir
    Path dir;

    private final SparkSession spark = SharedSpark.session();
    private final String model = SharedSpark.toyModel().model();

    @Test
    void jsonlCorpusToParquetEndToEnd() throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.writeString(corpus, String.join("\n",
                "{\"id\": 7, \"text\": \"The little girl played in the park.\", \"lang\": \"en\"}",
                "{\"id\": 3, \"text\": \"Tom ran.\"}",
                "{\"id\": 9, \"text\": null}",
                "{\"id\": 1, \"text\": \"A big dog found a shiny red ball under the tree.\"}") + "\n");
        String out = dir.resolve("out.parquet").toString();

        EmbedJob.Summary summary = EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(),
                "--text-column", "text", "--id-column", "id", "--output", out, "--keep-text", "--model", model,
                "--max-batch-tokens", "256"));

        assertThat(summary.rows()).isEqualTo(4);
        assertThat(Files.exists(Path.of(out, "_SUCCESS"))).isTrue();
        List<Row> rows = spark.read().parquet(out).collectAsList().stream()
                .sorted(Comparator.comparingLong(r -> r.getLong(0))).toList();
        assertThat(spark.read().parquet(out).schema().fieldNames()).containsExactly("id", "text", "embedding");
        assertThat(spark.read().parquet(out).schema().apply("embedding").dataType())
                .isEqualTo(DataTypes.createArrayType(DataTypes.FloatType, true));
        assertThat(rows).extracting(r -> r.getLong(0)).containsExactly(1L, 3L, 7L, 9L);
        try (SentenceEncoder direct = EncoderSettings.builder().model(model).build().open()) {
            TpSparkTest.assertClose(TpSparkTest.vector(rows.get(0)),
                    direct.embed("A big dog found a shiny red ball under the tree."));
            TpSparkTest.assertClose(TpSparkTest.vector(rows.get(1)), direct.embed("Tom ran."));
            TpSparkTest.assertClose(TpSparkTest.vector(rows.get(2)), direct.embed("The little girl played in the park."));
            assertThat(rows.get(3).isNullAt(1)).isTrue();
            TpSparkTest.assertClose(TpSparkTest.vector(rows.get(3)), direct.embed(""));
        }

        // default mode error: never clobber; overwrite replaces, here without the text column
        JobArguments again = JobArguments.parse("--input", corpus.toString(), "--id-column", "id", "--output", out,
                "--model", model);
        assertThatThrownBy(() -> EmbedJob.run(spark, again)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--output " + out + " exists (use --mode overwrite to replace it)");
        EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(), "--id-column", "id", "--output", out,
                "--model", model, "--mode", "overwrite", "--skip-empty"));
        List<Row> replaced = spark.read().parquet(out).orderBy("id").collectAsList();
        assertThat(spark.read().parquet(out).schema().fieldNames()).containsExactly("id", "embedding");
        assertThat(replaced.get(3).isNullAt(1)).isTrue();
    }

    @Test
    void missingAndNonStringColumnsAreNamedWithTheColumnsThere() throws Exception {
        Path corpus = dir.resolve("corpus.csv");
        Files.writeString(corpus, "doc,body\nd1,Tom ran.\n");
        String out = dir.resolve("out").toString();
        assertThatThrownBy(() -> EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(),
                "--id-column", "doc", "--output", out, "--model", model)))
                .hasMessage("--text-column: no text column 'text' (columns: doc, body) in " + corpus);
        assertThatThrownBy(() -> EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(),
                "--text-column", "body", "--id-column", "id", "--output", out, "--model", model)))
                .hasMessage("--id-column: no column 'id' in " + corpus + " (columns: doc, body)");

        Path json = dir.resolve("numbers.jsonl");
        Files.writeString(json, "{\"id\": 1, \"text\": 42}\n");
        assertThatThrownBy(() -> EmbedJob.run(spark, JobArguments.parse("--input", json.toString(),
                "--id-column", "id", "--output", out, "--model", model)))
                .hasMessage("--text-column: text column 'text' is bigint, not string (cast it first) in " + json);
        assertThat(Files.exists(Path.of(out))).isFalse();
    }

    @Test
    void aFailedJobCommitsNothingAndCanBeRerun() throws Exception {
        Path corpus = dir.resolve("corpus.jsonl");
        Files.writeString(corpus, "{\"id\": 1, \"text\": \"Tom ran.\"}\n");
        String out = dir.resolve("out.parquet").toString();
        String missing = dir.resolve("no-such-model").toString();

        assertThatThrownBy(() -> EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(),
                "--id-column", "id", "--output", out, "--model", missing, "--offline")))
                .hasStackTraceContaining("cannot load model '" + missing + "' on executor driver on host ");
        assertThat(Files.exists(Path.of(out, "_SUCCESS"))).isFalse();

        EmbedJob.run(spark, JobArguments.parse("--input", corpus.toString(), "--id-column", "id", "--output", out,
                "--model", model));
        assertThat(spark.read().parquet(out).count()).isEqualTo(1);
    }

    @Test
    void argumentsNameTheOptionAtFault() {
        JobArguments parsed = JobArguments.parse("--input", "c.parquet", "--id-column", "id", "--output", "o",
                "--model", "org/m", "--tp", "1", "7", "--output-layer", "-2", "--normalize", "--batchSize", "8");
        assertThat(parsed.format()).isEqualTo("parquet");
        assertThat(parsed.textColumn()).isEqualTo("text");
        assertThat(parsed.overwrite()).isFalse();
        assertThat(parsed.settings()).isEqualTo(EncoderSettings.builder().model("org/m").tp(1, 7).outputLayer("-2")
                .normalize(true).batchSize(8).build());

        assertThatThrownBy(() -> JobArguments.parse("--input", "c.parquet", "--output", "o"))
                .hasMessage("--id-column is required");
        assertThatThrownBy(() -> JobArguments.parse("--input", "c.txt", "--id-column", "id", "--output", "o"))
                .hasMessageContaining("--input c.txt: cannot tell the format");
        assertThatThrownBy(() -> JobArguments.parse("--input", "c.csv", "--id-column", "id", "--output", "o",
                "--mode", "append")).hasMessage("--mode must be error or overwrite, got 'append'");
        assertThatThrownBy(() -> JobArguments.parse("--input", "c.csv", "--id-column", "id", "--output", "o",
                "--max-batch-tokens", "0")).hasMessage("--max-batch-tokens: must be at least 1, got 0");
        assertThatThrownBy(() -> JobArguments.parse("--input", "c.csv", "--id-column", "id", "--output", "o",
                "--modle", "x")).hasMessageStartingWith("--modle: is not an encoder setting (known: model, ");
    }
}
