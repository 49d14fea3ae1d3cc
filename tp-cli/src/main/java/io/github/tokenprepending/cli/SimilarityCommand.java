package io.github.tokenprepending.cli;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.SentenceEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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

/** {@code tp similarity}: cosine similarity of sentences. */
@Command(name = "similarity", abbreviateSynopsis = true,
        description = {"Cosine similarity of sentences.",
            "",
            "Two sentences: one number. More: a matrix. --pairs FILE: one number per line of the file, which holds"
                    + " two sentences per line separated by a tab."})
final class SimilarityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "SENTENCE", description = "two or more sentences (quote each one)")
    List<String> sentences = new ArrayList<>();

    @Option(names = "--pairs", paramLabel = "FILE", description = "tab-separated sentence pairs, one per line")
    Path pairs;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws Exception {
        if (pairs != null && !sentences.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "give either sentences or --pairs FILE, not both");
        }
        if (pairs == null && sentences.size() < 2) {
            throw new ParameterException(spec.commandLine(), sentences.isEmpty()
                    ? "give two or more sentences, or --pairs FILE"
                    : "one sentence given: similarity needs two or more (quote sentences with spaces)");
        }
        List<String[]> pairList = pairs == null ? null : readPairs();
        try (SentenceEncoder encoder = options.open()) {
            System.err.println("model: " + options.modelName() + ", " + describe(encoder));
            if (pairList != null) {
                scorePairs(encoder, pairList);
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
            System.out.printf(Locale.ROOT, "%.6f%n", Cosine.similarity(v.get(0), v.get(1)));
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

    private List<String[]> readPairs() throws IOException {
        List<String> lines = InputLines.read(pairs);
        List<String[]> result = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split("\t", -1);
            if (parts.length != 2) {
                throw new IOException(pairs + ": line " + (i + 1) + " has " + parts.length
                        + " tab-separated field" + (parts.length == 1 ? "" : "s") + ", expected 2");
            }
            result.add(parts);
        }
        return result;
    }

    private static void scorePairs(SentenceEncoder encoder, List<String[]> pairs) {
        List<String> all = new ArrayList<>();
        pairs.forEach(p -> all.add(p[0]));
        pairs.forEach(p -> all.add(p[1]));
        List<float[]> v = encoder.embed(all, TerminalProgress.embedding("similarity"));
        for (int i = 0; i < pairs.size(); i++) {
            System.out.printf(Locale.ROOT, "%.6f%n", Cosine.similarity(v.get(i), v.get(pairs.size() + i)));
        }
    }
}
