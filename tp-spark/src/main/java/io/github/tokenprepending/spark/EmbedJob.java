package io.github.tokenprepending.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The corpus embedding job: reads a Parquet, JSON Lines or CSV corpus, embeds its text column and writes
 * {@code id, [text], embedding} as Parquet through Spark's output committer (the output appears when the job
 * commits; an existing output fails the job unless {@code --mode overwrite}).
 *
 * <pre>
 * spark-submit --class io.github.tokenprepending.spark.EmbedJob tp-spark-job.jar \
 *     --input corpus.jsonl --text-column text --id-column id --output out.parquet --model meta-llama/Llama-2-7b-hf
 * </pre>
 *
 * Without a configured master (run with {@code java}, not {@code spark-submit}) it runs on {@code local[*]}.
 * Arguments: {@code --help}. Exit codes: 0 done, 1 failed, 2 bad arguments or input.
 */
public final class EmbedJob {
    private EmbedJob() {
    }

    /**
     * @param args the job's arguments ({@code --help} lists them)
     */
    public static void main(String[] args) {
        if (args.length == 0 || List.of(args).contains("--help")) {
            System.out.println(JobArguments.usage());
            System.exit(args.length == 0 ? 2 : 0);
        }
        JobArguments job;
        try {
            job = JobArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(JobArguments.usage());
            System.exit(2);
            return;
        }
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName("tp-embed");
        if (!conf.contains("spark.master")) {
            builder.master(job.master());
        }
        int code;
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            Summary summary = run(spark, job);
            System.err.printf(Locale.ROOT, "%d rows embedded into %s in %.1f s (%.1f rows/s)%n", summary.rows(),
                    job.output(), summary.seconds(), summary.rows() / summary.seconds());
            code = 0;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            code = 2;
        } catch (RuntimeException e) {
            System.err.println("error: " + rootMessage(e));
            code = 1;
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** What a run did: rows written, and the seconds from reading the input to the committed output. */
    record Summary(long rows, double seconds) {
    }

    /**
     * Runs the job on a session (tests call this with theirs).
     *
     * @param spark the session
     * @param job the arguments
     * @return what was done
     * @throws IllegalArgumentException for an existing output (mode error), a missing or non-string column
     */
    static Summary run(SparkSession spark, JobArguments job) {
        long start = System.nanoTime();
        Dataset<Row> input = read(spark, job);
        List<String> columns = List.of(input.columns());
        if (!columns.contains(job.idColumn())) {
            throw new IllegalArgumentException("--id-column: no column '" + job.idColumn() + "' in " + job.input()
                    + " (columns: " + String.join(", ", columns) + ")");
        }
        Dataset<Row> rows = input.select(job.idColumn(), job.textColumn().equals(job.idColumn())
                ? new String[0] : new String[] {checkedText(input, job)});
        if (job.partitions() > 0) {
            rows = rows.repartition(job.partitions());
        }
        Dataset<Row> embedded = TpSpark.embed(rows, job.textColumn(), TpSpark.EMBEDDING, job.settings(), job.empty());
        List<Column> out = new ArrayList<>();
        out.add(functions.col(job.idColumn()));
        if (job.keepText()) {
            out.add(functions.col(job.textColumn()));
        }
        out.add(functions.col(TpSpark.EMBEDDING));
        if (!job.overwrite() && holdsData(spark, job.output())) {
            throw new IllegalArgumentException("--output " + job.output() + " exists (use --mode overwrite to replace"
                    + " it)");
        }
        // past the check, an output directory holds only a failed job's leftovers: replacing them clobbers nothing
        embedded.select(out.toArray(new Column[0])).write().mode(SaveMode.Overwrite).parquet(job.output());
        long rowsWritten = spark.read().parquet(job.output()).count();
        return new Summary(rowsWritten, (System.nanoTime() - start) / 1e9);
    }

    private static String checkedText(Dataset<Row> input, JobArguments job) {
        try {
            TpSpark.outputSchema(input.schema(), job.textColumn(), TpSpark.EMBEDDING);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--text-column: " + e.getMessage() + " in " + job.input(), e);
        }
        return job.textColumn();
    }

    private static Dataset<Row> read(SparkSession spark, JobArguments job) {
        DataFrameReader reader = spark.read();
        return switch (job.format()) {
            case "parquet" -> reader.parquet(job.input());
            case "csv" -> reader.option("header", true).csv(job.input());
            default -> reader.json(job.input());
        };
    }

    /**
     * @return whether {@code output} holds data: a file, or a directory with a visible entry (a failed job leaves
     *     the directory with hidden leftovers only, which a rerun replaces)
     */
    private static boolean holdsData(SparkSession spark, String output) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(output);
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                return false;
            }
            if (!fs.getFileStatus(path).isDirectory()) {
                return true;
            }
            for (org.apache.hadoop.fs.FileStatus entry : fs.listStatus(path)) {
                String name = entry.getPath().getName();
                if (!name.startsWith("_") && !name.startsWith(".")) {
                    return true;
                }
            }
            return false;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot check --output " + output + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof ModelUnavailableException)) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
