package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Token Prepending embeddings of a text column of a Spark {@link Dataset}:
 *
 * <pre>{@code
 * EncoderSettings settings = EncoderSettings.builder().model("meta-llama/Llama-2-7b-hf").device("cuda:0").build();
 * Dataset<Row> embedded = TpSpark.embed(corpus, "text", settings);   // corpus' columns + embedding array<float>
 * }</pre>
 *
 * <p>Each executor JVM loads the model once ({@link ExecutorEncoders}) and embeds its partitions with
 * {@code mapPartitions} in token-budget chunks; rows keep their partitioning and order. The model must be found
 * on every executor: a directory at the same path on every node, or a model id in each node's HF cache.
 */
public final class TpSpark {
    /** The default name of the embedding column. */
    public static final String EMBEDDING = "embedding";

    private TpSpark() {
    }

    /**
     * @param df the rows
     * @param textColumn a string column; null and empty texts are embedded as the empty sentence
     * @param settings the encoder (validated here, before any task starts)
     * @return the same rows with an {@code embedding} column ({@code array<float>}) appended
     * @throws IllegalArgumentException for a missing or non-string text column, or an existing {@code embedding}
     *     column
     * @throws io.github.tokenprepending.InvalidSettingException for a bad setting
     */
    public static Dataset<Row> embed(Dataset<Row> df, String textColumn, EncoderSettings settings) {
        return embed(df, textColumn, EMBEDDING, settings, EmptyText.EMBED);
    }

    /**
     * @param df the rows
     * @param textColumn a string column
     * @param outputColumn the name of the new embedding column
     * @param settings the encoder (validated here, before any task starts)
     * @param empty what null and empty texts get
     * @return the same rows with {@code outputColumn} ({@code array<float>}) appended
     * @throws IllegalArgumentException for a missing or non-string text column, or an existing output column
     * @throws io.github.tokenprepending.InvalidSettingException for a bad setting
     */
    public static Dataset<Row> embed(Dataset<Row> df, String textColumn, String outputColumn,
            EncoderSettings settings, EmptyText empty) {
        settings.validate();
        StructType out = outputSchema(df.schema(), textColumn, outputColumn);
        int textIndex = df.schema().fieldIndex(textColumn);
        return df.mapPartitions(new PartitionEmbedder(settings, textIndex, empty), Encoders.row(out));
    }

    /**
     * Checks the input schema and gives the output's.
     *
     * @param in the input schema
     * @param textColumn the text column
     * @param outputColumn the embedding column to add
     * @return {@code in} with {@code outputColumn} ({@code array<float>}, nullable) appended
     * @throws IllegalArgumentException naming a missing or non-string text column (with the columns there are) or
     *     an output column that exists
     */
    public static StructType outputSchema(StructType in, String textColumn, String outputColumn) {
        if (!Arrays.asList(in.fieldNames()).contains(textColumn)) {
            throw new IllegalArgumentException("no text column '" + textColumn + "' (columns: "
                    + String.join(", ", in.fieldNames()) + ")");
        }
        StructField text = in.apply(textColumn);
        if (!(text.dataType() instanceof StringType)) {
            throw new IllegalArgumentException("text column '" + textColumn + "' is " + text.dataType().simpleString()
                    + ", not string (cast it first)");
        }
        if (Arrays.asList(in.fieldNames()).contains(outputColumn)) {
            throw new IllegalArgumentException("output column '" + outputColumn + "' exists already (columns: "
                    + String.join(", ", in.fieldNames()) + ")");
        }
        return in.add(outputColumn, DataTypes.createArrayType(DataTypes.FloatType, false), true);
    }
}
