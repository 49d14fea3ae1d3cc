package io.github.tokenprepending.cli;

import io.github.tokenprepending.SentenceEncoder;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tp embed}: sentences in, one embedding per line out. */
@Command(name = "embed", abbreviateSynopsis = true,
        description = {"Embed sentences, one per line (UTF-8), into JSON Lines or a .npy array.",
            "",
            "Every input line gives one embedding, empty lines included, in input order. JSON Lines have one object"
                    + " per line: {\"index\": 0, \"text\": ..., \"embedding\": [...]}. A .npy file holds a float32"
                    + " array of shape (lines, dimension). An output file appears complete or not at all."})
final class EmbedCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "input, one sentence per line (default: stdin)")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "output file, written atomically (default: JSON Lines on stdout)")
    Path output;

    @Option(names = "--format", paramLabel = "jsonl|npy",
            description = "output format (default: npy for an output file named *.npy, else jsonl)")
    String format;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        EmbeddingWriter writer = writer();
        if (output != null && Files.isDirectory(output)) {
            throw new ParameterException(spec.commandLine(), "--output " + output + " is a directory");
        }
        if (output == null && writer == EmbeddingWriter.NPY && TerminalProgress.interactive()) {
            throw new ParameterException(spec.commandLine(), "--format npy is binary: give --output FILE or"
                    + " redirect standard output");
        }
        List<String> lines = InputLines.read(input);
        try (SentenceEncoder encoder = options.open()) {
            List<float[]> vectors = encoder.embed(lines, TerminalProgress.embedding("embed"));
            int dimension = encoder.dimension();
            if (output == null) {
                PrintStream out = System.out;
                writer.write(out, lines, vectors, dimension);
                out.flush();
            } else {
                AtomicFile.write(output, out -> writer.write(out, lines, vectors, dimension));
                System.err.printf(Locale.ROOT, "%d embeddings of dimension %d written to %s%n", vectors.size(),
                        dimension, output);
            }
        }
        return 0;
    }

    private EmbeddingWriter writer() {
        String f = format != null ? format
                : output != null && output.toString().toLowerCase(Locale.ROOT).endsWith(".npy") ? "npy" : "jsonl";
        switch (f.toLowerCase(Locale.ROOT)) {
            case "jsonl": return EmbeddingWriter.JSONL;
            case "npy": return EmbeddingWriter.NPY;
            default:
                throw new ParameterException(spec.commandLine(), "unknown --format '" + f + "' (jsonl or npy)");
        }
    }
}
