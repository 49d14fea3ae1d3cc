package io.github.tokenprepending.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.SentenceEncoder;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TpSparkTest {
    static final StructType SCHEMA = new StructType().add("id", DataTypes.LongType, false)
            .add("text", DataTypes.StringType, true);
    private static final SparkSession SPARK = SharedSpark.session();
    private static final EncoderSettings SETTINGS = SharedSpark.toyModel();
    private static SentenceEncoder direct;

    @BeforeAll
    static void openDirect() {
        direct = SETTINGS.open();
    }

    @AfterAll
    static void closeDirect() {
        direct.close();
    }

    /** Forty sentences of 3 to 25 words, all different. */
    static List<String> sentences() {
        String[] who = {"The little girl", "A big dog", "Tom", "The old king", "Her mom"};
        String[] what = {"played in the park", "found a shiny red ball under the tree",
            "was very happy because the sun was warm and the birds were singing",
            "ate", "looked at the sky and wondered why it was so blue on that long summer day",
            "ran", "said hello", "went home"};
        List<String> out = new ArrayList<>();
        for (String w : who) {
            for (String v : what) {
                out.add(w + " " + v + ".");
            }
        }
        return out;
    }

    static Dataset<Row> frame(List<String> texts, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(1000L + i, texts.get(i)));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(SPARK.sparkContext());
        return SPARK.createDataFrame(jsc.parallelize(rows, partitions), SCHEMA);
    }

    static float[] vector(Row row) {
        List<Float> values = row.getList(row.fieldIndex("embedding"));
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) actual[i]).as("component %d", i).isCloseTo(expected[i],
                    org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 17})
    void sameEmbeddingsAsTheEncoderIdsAndOrderKept(int partitions) {
        List<String> texts = sentences();
        Dataset<Row> in = frame(texts, partitions);
        assertThat(in.rdd().getNumPartitions()).isEqualTo(partitions);

        Dataset<Row> out = TpSpark.embed(in, "text", SETTINGS);

        assertThat(out.schema().fieldNames()).containsExactly("id", "text", "embedding");
        assertThat(out.schema().apply("embedding").dataType())
                .isEqualTo(DataTypes.createArrayType(DataTypes.FloatType, false));
        assertThat(out.rdd().getNumPartitions()).isEqualTo(partitions);
        List<Row> rows = out.collectAsList();
        List<float[]> expected = direct.embed(texts);
        assertThat(rows).hasSize(texts.size());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).getLong(0)).isEqualTo(1000L + i);
            assertThat(rows.get(i).getString(1)).isEqualTo(texts.get(i));
            assertClose(vector(rows.get(i)), expected.get(i));
        }
    }

    @Test
    void oneEncoderPerExecutorJvmSharedByItsTasks() {
        Dataset<Row> out = TpSpark.embed(frame(sentences(), 17), "text", SETTINGS);
        StructType seen = new StructType().add("pid", DataTypes.LongType).add("loads", DataTypes.IntegerType)
                .add("rows", DataTypes.IntegerType);
        EncoderSettings settings = SETTINGS;
        List<Row> tasks = out.mapPartitions((MapPartitionsFunction<Row, Row>) it -> {
            int n = 0;
            for (; it.hasNext(); it.next()) {
                n++;
            }
            return List.of(RowFactory.create(ProcessHandle.current().pid(), ExecutorEncoders.loads(settings), n))
                    .iterator();
        }, Encoders.row(seen)).collectAsList();

        assertThat(tasks).hasSize(17);
        assertThat(tasks.stream().mapToInt(r -> r.getInt(2)).sum()).isEqualTo(sentences().size());
        // local mode: one executor JVM (this one), whose 17 tasks on 2 threads shared one load
        assertThat(tasks.stream().map(r -> r.getLong(0)).distinct()).containsExactly(ProcessHandle.current().pid());
        assertThat(tasks.stream().map(r -> r.getInt(1)).distinct()).containsExactly(1);
        assertThat(ExecutorEncoders.loads(SETTINGS)).isEqualTo(1);
    }

    @Test
    void nullAndEmptyTextsAreTheEmptySentenceOrSkipped() {
        List<String> texts = Arrays.asList("Tom ran.", null, "", "The dog ate.");
        float[] empty = direct.embed("");

        List<Row> embedded = TpSpark.embed(frame(texts, 2), "text", SETTINGS).collectAsList();
        assertClose(vector(embedded.get(0)), direct.embed("Tom ran."));
        assertThat(embedded.get(1).isNullAt(1)).isTrue();
        assertClose(vector(embedded.get(1)), empty);
        assertClose(vector(embedded.get(2)), empty);
        assertClose(vector(embedded.get(3)), direct.embed("The dog ate."));

        List<Row> skipped = TpSpark.embed(frame(texts, 2), "text", "vec", SETTINGS, EmptyText.SKIP)
                .collectAsList();
        assertThat(skipped).hasSize(4);
        assertThat(skipped.get(1).isNullAt(2)).isTrue();
        assertThat(skipped.get(2).isNullAt(2)).isTrue();
        assertThat(skipped.get(0).getList(2)).hasSize(direct.dimension());
        assertThat(skipped.get(3).getLong(0)).isEqualTo(1003L);
    }

    @Test
    void missingNonStringAndTakenColumnsAreNamed() {
        Dataset<Row> in = frame(List.of("a"), 1);
        assertThatThrownBy(() -> TpSpark.embed(in, "body", SETTINGS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no text column 'body' (columns: id, text)");
        assertThatThrownBy(() -> TpSpark.embed(in, "id", SETTINGS))
                .hasMessage("text column 'id' is bigint, not string (cast it first)");
        assertThatThrownBy(() -> TpSpark.embed(in, "text", "id", SETTINGS, EmptyText.EMBED))
                .hasMessage("output column 'id' exists already (columns: id, text)");
    }

    @Test
    void badSettingsFailOnTheDriverBeforeAnyTask() {
        EncoderSettings bad = SETTINGS.toBuilder().maxBatchTokens(0).build();
        assertThatThrownBy(() -> TpSpark.embed(frame(List.of("a"), 1), "text", bad))
                .isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("maxBatchTokens");
    }

    @Test
    void aModelPathExecutorsCannotSeeIsNamedWithTheHost() throws Exception {
        String missing = "/nonexistent/tp-spark-test/model";
        EncoderSettings settings = EncoderSettings.builder().model(missing).offline(true).build();
        Dataset<Row> out = TpSpark.embed(frame(List.of("Tom ran."), 1), "text", settings);

        assertThatThrownBy(out::collectAsList)
                .hasMessageContaining("cannot load model '" + missing + "' on executor driver on host "
                        + InetAddress.getLocalHost().getHostName())
                .hasMessageContaining("the directory " + missing + " does not exist on this host");
        assertThat(ExecutorEncoders.loads(settings)).isZero();
    }
}
