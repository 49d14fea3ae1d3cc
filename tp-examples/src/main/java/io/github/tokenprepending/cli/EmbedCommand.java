package io.github.tokenprepending.cli;

import io.github.tokenprepending.SentenceEncoder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tp embed}: sentences in, one embedding per line out. */
@Command(name = "embed", mixinStandardHelpOptions = true,
        description = "Embed sentences (one per line, empty lines included) into JSON Lines or a .npy array.")
final class EmbedCommand implements Callable<Integer> {
    @Mixin
    EncoderOptions options;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "input, one sentence per line (default: stdin)")
    Path input;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "output file, written atomically (default: JSON Lines on stdout)")
    Path output;

    @Option(names = "--format", paramLabel = "jsonl|npy",
            description = "output format (default: npy for a .npy output file, else jsonl)")
    String format;

    @Override
    public Integer call() throws Exception {
        List<String> lines = InputLines.read(input);
        EmbeddingWriter writer = writer();
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
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "unknown format '" + f + "' (jsonl or npy)");
        }
    }
}
