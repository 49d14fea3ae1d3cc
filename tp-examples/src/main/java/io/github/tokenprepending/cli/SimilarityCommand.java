package io.github.tokenprepending.cli;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.eval.Cosine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tp similarity}: cosine similarity of sentences. */
@Command(name = "similarity", mixinStandardHelpOptions = true,
        description = {"Cosine similarity of sentences: of two sentences, a matrix for more, or one score per line",
            "of a file of tab-separated sentence pairs (--pairs)."})
final class SimilarityCommand implements Callable<Integer> {
    @Mixin
    EncoderOptions options;

    @Parameters(arity = "0..*", paramLabel = "SENTENCE", description = "two or more sentences")
    List<String> sentences = new ArrayList<>();

    @Option(names = "--pairs", paramLabel = "FILE", description = "tab-separated sentence pairs, one per line")
    Path pairs;

    @Override
    public Integer call() throws Exception {
        if ((pairs == null) == (sentences.size() < 2)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "give either two or more sentences or --pairs FILE");
        }
        try (SentenceEncoder encoder = options.open()) {
            System.err.println("model: " + options.modelName() + ", " + describe(encoder));
            if (pairs != null) {
                scorePairs(encoder);
            } else {
                matrix(encoder);
            }
        }
        return 0;
    }

    static String describe(SentenceEncoder encoder) {
        var c = encoder.config();
        return (c.tp() == null ? "vanilla" : c.tp().toString()) + ", output layer " + c.outputLayer() + ", prompt "
                + c.prompts().name() + ", preset " + encoder.preset().name();
    }

    private void matrix(SentenceEncoder encoder) {
        List<float[]> v = encoder.embed(sentences);
        if (sentences.size() == 2) {
            System.out.printf(Locale.ROOT, "%.4f%n", Cosine.similarity(v.get(0), v.get(1)));
            return;
        }
        for (int i = 0; i < sentences.size(); i++) {
            System.out.printf(Locale.ROOT, "[%d] %s%n", i, sentences.get(i));
        }
        StringBuilder header = new StringBuilder("     ");
        for (int j = 0; j < sentences.size(); j++) {
            header.append(String.format(Locale.ROOT, "%8s", "[" + j + "]"));
        }
        System.out.println(header);
        for (int i = 0; i < sentences.size(); i++) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-5s", "[" + i + "]"));
            for (int j = 0; j < sentences.size(); j++) {
                row.append(String.format(Locale.ROOT, "%8.4f", Cosine.similarity(v.get(i), v.get(j))));
            }
            System.out.println(row);
        }
    }

    private void scorePairs(SentenceEncoder encoder) throws IOException {
        List<String> lines = InputLines.read(pairs);
        List<String> left = new ArrayList<>();
        List<String> right = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split("\t", -1);
            if (parts.length != 2) {
                throw new IOException(pairs + ": line " + (i + 1) + " has " + parts.length
                        + " tab-separated fields, expected 2");
            }
            left.add(parts[0]);
            right.add(parts[1]);
        }
        List<String> all = new ArrayList<>(left);
        all.addAll(right);
        List<float[]> v = encoder.embed(all, TerminalProgress.embedding("similarity"));
        for (int i = 0; i < left.size(); i++) {
            System.out.printf(Locale.ROOT, "%.6f%n", Cosine.similarity(v.get(i), v.get(left.size() + i)));
        }
    }
}
