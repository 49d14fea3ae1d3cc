package io.github.tokenprepending.spark;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.InvalidSettingException;
import io.github.tokenprepending.Setting;
import io.github.tokenprepending.hub.BundledModels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The arguments of {@link EmbedJob}, parsed by picocli: the job's own options, and one option per encoder setting
 * of {@link EncoderSettings#ALL} in kebab case (camel case accepted too): {@code --model ID|DIR} (required:
 * {@value BundledModels#DEMO} names the bundled demo model), {@code --tp START EXIT}, {@code --output-layer K},
 * {@code --normalize} (or {@code --normalize false}), {@code --prefix-cache false}, ...
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
public record JobArguments(String input, String format, String textColumn, String idColumn, String output,
        boolean overwrite, boolean keepText, EmptyText empty, int partitions, String master,
        EncoderSettings settings) {

    /** The job's own options; the encoder settings are added to the command by {@link #command}. */
    @Command(name = "EmbedJob", sortOptions = false, usageHelpWidth = 120,
            customSynopsis = "Usage: EmbedJob --input FILE --id-column COL --output DIR --model ID|DIR [options]"
                    + " [encoder options]")
    static final class Options {
        @Option(names = "--input", paramLabel = "FILE|DIR", order = 1,
                description = "corpus: *.parquet, *.jsonl / *.json (JSON Lines) or *.csv (with a header)")
        String input;
        @Option(names = "--format", paramLabel = "F", order = 2,
                description = "parquet, jsonl or csv (default: from the input's extension)")
        String format;
        @Option(names = "--text-column", paramLabel = "COL", order = 3, defaultValue = "text",
                description = "the text column, string (default: text)")
        String textColumn;
        @Option(names = "--id-column", paramLabel = "COL", order = 4,
                description = "the id column, copied into the output")
        String idColumn;
        @Option(names = "--output", paramLabel = "DIR", order = 5,
                description = "Parquet output directory (id, [text], embedding), committed by Spark")
        String output;
        @Option(names = "--mode", paramLabel = "error|overwrite", order = 6, defaultValue = "error",
                description = "an existing output fails the job (default) or is replaced")
        String mode;
        @Option(names = "--keep-text", order = 7, description = "copy the text column into the output")
        boolean keepText;
        @Option(names = "--skip-empty", order = 8,
                description = "null or empty texts get a null embedding (default: the empty sentence's)")
        boolean skipEmpty;
        @Option(names = "--partitions", paramLabel = "N", order = 9, defaultValue = "0",
                description = "repartition the input into N partitions (default: the input's)")
        String partitions;
        @Option(names = "--master", paramLabel = "URL", order = 10, defaultValue = "local[*]",
                description = "Spark master when none is configured (default: local[*])")
        String master;
        @Option(names = "--help", usageHelp = true, order = 11, description = "show this help")
        boolean help;

        /** The encoder settings given, as text by setting name. */
        final Map<String, String> settings = new LinkedHashMap<>();
    }

    /** @return the job's help: its own options, then the encoder options */
    public static String usage() {
        StringWriter out = new StringWriter();
        command(new Options()).usage(new PrintWriter(out));
        return out.toString().stripTrailing();
    }

    /**
     * @param args the command line
     * @return the arguments
     * @throws IllegalArgumentException naming a missing, unknown or malformed option
     */
    public static JobArguments parse(String... args) {
        Options o = new Options();
        try {
            command(o).parseArgs(args);
        } catch (UnmatchedArgumentException e) {
            String unknown = e.getUnmatched().get(0);
            if (unknown.startsWith("--")) {
                try {
                    EncoderSettings.byName(unknown.substring(2).replaceFirst("=.*", ""));
                } catch (InvalidSettingException unknownSetting) {
                    throw named(unknownSetting);
                }
            }
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        String input = required(o.input, "input");
        String mode = o.mode.toLowerCase(Locale.ROOT);
        if (!mode.equals("error") && !mode.equals("overwrite")) {
            throw new IllegalArgumentException("--mode must be error or overwrite, got '" + mode + "'");
        }
        String format = (o.format != null ? o.format : formatOf(input)).toLowerCase(Locale.ROOT);
        if (!List.of("parquet", "jsonl", "json", "csv").contains(format)) {
            throw new IllegalArgumentException("--format must be parquet, jsonl or csv, got '" + format + "'");
        }
        String idColumn = required(o.idColumn, "id-column");
        String output = required(o.output, "output");
        int partitions = partitions(o.partitions);
        EncoderSettings settings;
        try {
            settings = EncoderSettings.fromTextMap(o.settings).validate();
        } catch (InvalidSettingException e) {
            throw named(e);
        }
        if (settings.model() == null) {
            throw new IllegalArgumentException("--model is required: a HuggingFace id, a local checkpoint directory,"
                    + " or " + BundledModels.DEMO + " for the bundled demo model (which proves the pipeline but"
                    + " embeds nothing useful)");
        }
        return new JobArguments(input, format, o.textColumn, idColumn, output, mode.equals("overwrite"), o.keepText,
                o.skipEmpty ? EmptyText.SKIP : EmptyText.EMBED, partitions, o.master, settings);
    }

    /**
     * @param o where parsed values go
     * @return the job's command line: its own options and one per encoder setting, derived from the declarations
     */
    static CommandLine command(Options o) {
        CommandLine cli = new CommandLine(o);
        ArgGroupSpec.Builder group = ArgGroupSpec.builder().heading("%nEncoder options:%n").validate(false);
        for (Setting<?> setting : EncoderSettings.ALL) {
            group.addArg(option(setting, o.settings).build());
        }
        CommandSpec spec = cli.getCommandSpec();
        spec.addArgGroup(group.build());
        return cli;
    }

    private static OptionSpec.Builder option(Setting<?> setting, Map<String, String> into) {
        String kebab = "--" + setting.kebabName();
        String camel = "--" + setting.name();
        OptionSpec.Builder o = (kebab.equals(camel) ? OptionSpec.builder(kebab) : OptionSpec.builder(kebab, camel))
                .description(setting.description()).type(String.class);
        o = switch (setting.kind()) {
            case FLAG -> o.arity("0..1").paramLabel("true|false").fallbackValue("true");
            case PAIR -> o.arity("1..2").type(List.class).auxiliaryTypes(String.class).paramLabel(setting.label())
                    .hideParamSyntax(true);
            case TEXT, NUMBER -> o.arity("1").paramLabel(setting.label());
        };
        return o.setter(new ISetter() {
            @Override
            public <T> T set(T value) {
                String text = value instanceof List<?> words
                        ? String.join(" ", words.stream().map(String::valueOf).toList()) : (String) value;
                if (text == null) {
                    into.remove(setting.name());
                } else {
                    into.put(setting.name(), text);
                }
                return null;
            }
        });
    }

    private static IllegalArgumentException named(InvalidSettingException e) {
        return new IllegalArgumentException("--" + e.kebabName() + ": " + e.problem(), e);
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

    private static String required(String value, String name) {
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
