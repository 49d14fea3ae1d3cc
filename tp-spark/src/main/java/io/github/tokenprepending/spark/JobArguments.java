package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The arguments of {@link EmbedJob}: {@code --name value...} pairs. A value is every word up to the next
 * {@code --option} ({@code --tp 1 7}, {@code --output-layer -2}); an option without one means {@code true}
 * ({@code --normalize}). The job's own options are listed in {@link #USAGE}; every other option is an encoder
 * setting read by {@link EncoderSettings#fromTextMap}.
 *
 * @param input the corpus file or directory
 * @param format parquet, jsonl (json) or csv
 * @param textColumn the text column
 * @param idColumn the id column
 * @param output the Parquet output directory
 * @param overwrite replace an existing output (else fail)
 * @param keepText copy the text column into the output
 * @param empty what null and empty texts get
 * @param partitions repartition the input into this many partitions (0: keep the input's)
 * @param master the Spark master when none is configured (spark-submit configures one)
 * @param settings the encoder settings
 */
record JobArguments(String input, String format, String textColumn, String idColumn, String output,
        boolean overwrite, boolean keepText, EmptyText empty, int partitions, String master,
        EncoderSettings settings) {

    static final String USAGE = String.join("\n",
            "Usage: EmbedJob --input FILE --id-column COL --output DIR [options] [encoder options]",
            "  --input FILE|DIR        corpus: *.parquet, *.jsonl / *.json (JSON Lines) or *.csv (with a header)",
            "  --format F              parquet, jsonl or csv (default: from the input's extension)",
            "  --text-column COL       the text column, string (default: text)",
            "  --id-column COL         the id column, copied into the output",
            "  --output DIR            Parquet output directory (id, [text], embedding), committed by Spark",
            "  --mode error|overwrite  an existing output fails the job (default) or is replaced",
            "  --keep-text             copy the text column into the output",
            "  --skip-empty            null or empty texts get a null embedding (default: the empty sentence's)",
            "  --partitions N          repartition the input into N partitions (default: the input's)",
            "  --master URL            Spark master when none is configured (default: local[*])",
            "Encoder options (any EncoderSettings name, kebab or camel case): --model ID|DIR (default: the bundled",
            "  toy model), --revision, --offline, --preset, --tp START EXIT, --vanilla, --output-layer K, --prompt,",
            "  --placeholder, --device, --dtype, --batch-size N, --max-batch-tokens N, --max-tokens N, --normalize,",
            "  --prefix-cache true|false, --threads N");

    /**
     * @param args the command line
     * @return the arguments
     * @throws IllegalArgumentException naming a missing, unknown or malformed option
     */
    static JobArguments parse(String... args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; ) {
            String name = args[i];
            if (!name.startsWith("--") || name.length() == 2) {
                throw new IllegalArgumentException("expected an --option, got '" + name + "'");
            }
            List<String> words = new ArrayList<>();
            for (i++; i < args.length && !args[i].startsWith("--"); i++) {
                words.add(args[i]);
            }
            String key = name.substring(2);
            if (options.put(key, words.isEmpty() ? "true" : String.join(" ", words)) != null) {
                throw new IllegalArgumentException("--" + key + " is given twice");
            }
        }
        String input = required(options, "input");
        String mode = take(options, "mode", "error").toLowerCase(Locale.ROOT);
        if (!mode.equals("error") && !mode.equals("overwrite")) {
            throw new IllegalArgumentException("--mode must be error or overwrite, got '" + mode + "'");
        }
        String format = take(options, "format", formatOf(input)).toLowerCase(Locale.ROOT);
        if (!List.of("parquet", "jsonl", "json", "csv").contains(format)) {
            throw new IllegalArgumentException("--format must be parquet, jsonl or csv, got '" + format + "'");
        }
        String textColumn = take(options, "text-column", "text");
        String idColumn = required(options, "id-column");
        String output = required(options, "output");
        boolean keepText = flag(options, "keep-text");
        EmptyText empty = flag(options, "skip-empty") ? EmptyText.SKIP : EmptyText.EMBED;
        int partitions = partitions(take(options, "partitions", "0"));
        String master = take(options, "master", "local[*]");
        EncoderSettings settings;
        try {
            settings = EncoderSettings.fromTextMap(options).validate();
        } catch (InvalidSettingException e) {
            throw new IllegalArgumentException("--" + e.kebabName() + ": " + e.problem(), e);
        }
        return new JobArguments(input, format, textColumn, idColumn, output, mode.equals("overwrite"), keepText,
                empty, partitions, master, settings);
    }

    private static String formatOf(String input) {
        String lower = input.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        for (String ext : List.of("parquet", "jsonl", "json", "csv")) {
            if (lower.endsWith("." + ext)) {
                return ext;
            }
        }
        throw new IllegalArgumentException("--input " + input + ": cannot tell the format from the name (.parquet,"
                + " .jsonl, .json, .csv): give --format");
    }

    private static int partitions(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--partitions expects a whole number >= 0, got '" + text + "'");
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null || value.equals("true")) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static String take(Map<String, String> options, String name, String fallback) {
        String value = options.remove(name);
        return value == null ? fallback : value;
    }

    private static boolean flag(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null) {
            return false;
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("--" + name + " takes no value (or true/false), got '" + value + "'");
    }
}
