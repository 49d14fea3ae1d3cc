package io.github.tokenprepending.eval;

import io.github.tokenprepending.text.PythonText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads SentEval's STS data files the way SentEval's {@code sts.py} does. Files are UTF-8. Sentences are split at
 * whitespace and re-joined with single spaces (SentEval's {@code s.split()} and the batcher's {@code ' '.join}).
 * Pairs keep file order (SentEval sorts them by length only to batch them).
 *
 * <p>Where SentEval would crash or silently misread, these readers throw an {@link StsFormatException} naming the
 * file and line: a wrong number of tab-separated fields, a score that is not a finite decimal number, input and gold
 * files of different lengths, or a file without pairs. Unlike SentEval, STS-B and SICK lines with extra columns are
 * rejected too, so that pointing the reader at an original, unprocessed release fails instead of reading cased,
 * untokenised text.
 */
public final class SentEvalReader {
    private SentEvalReader() {
    }

    /**
     * Reads one STS12-16 subset: {@code STS.input.<subset>.txt} (two tab-separated sentences per line) and
     * {@code STS.gs.<subset>.txt} (a score per line). Lines are Python {@code splitlines()}; a pair whose gold line is
     * empty is unscored and dropped.
     *
     * @param taskDir the task directory, e.g. {@code .../STS12-en-test}
     * @param subset the subset, e.g. {@code MSRpar}
     * @return the scored pairs
     * @throws NoSuchFileException naming a missing file
     * @throws StsFormatException naming the malformed file and line
     * @throws IOException if reading fails
     */
    public static StsSubset readStsSubset(Path taskDir, String subset) throws IOException {
        Path inputFile = taskDir.resolve("STS.input." + subset + ".txt");
        Path goldFile = taskDir.resolve("STS.gs." + subset + ".txt");
        List<String> inputs = PythonText.splitLines(read(inputFile));
        List<String> golds = PythonText.splitLines(read(goldFile));
        if (inputs.size() != golds.size()) {
            boolean goldShort = golds.size() < inputs.size();
            throw new StsFormatException(goldShort ? goldFile : inputFile, Math.min(inputs.size(), golds.size()) + 1,
                    "line missing: " + inputFile.getFileName() + " has " + inputs.size() + " lines but "
                            + goldFile.getFileName() + " has " + golds.size() + "; the files must pair line by line");
        }
        List<StsPair> pairs = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            String[] fields = inputs.get(i).split("\t", -1);
            if (fields.length != 2) {
                throw new StsFormatException(inputFile, i + 1,
                        "expected 2 tab-separated sentences, found " + fields.length + " field(s)");
            }
            String gold = golds.get(i);
            if (!gold.isEmpty()) {
                pairs.add(new StsPair(PythonText.joinWords(fields[0]), PythonText.joinWords(fields[1]),
                        score(goldFile, i + 1, gold)));
            }
        }
        if (pairs.isEmpty()) {
            throw new StsFormatException(goldFile, 0, "no scored pairs (every gold line is empty)");
        }
        return new StsSubset(subset, pairs);
    }

    /**
     * Reads an STS Benchmark file such as {@code sts-test.csv}: per line {@code line.strip().split('\t')} gives
     * exactly 7 columns: genre, file, year, id, score, sentence 1, sentence 2.
     *
     * @param file the file
     * @return the pairs
     * @throws NoSuchFileException naming the missing file
     * @throws StsFormatException naming the malformed line
     * @throws IOException if reading fails
     */
    public static List<StsPair> readStsBenchmark(Path file) throws IOException {
        return readColumns(file, false, "genre, file, year, id, score, sentence 1, sentence 2", 7, 5, 6, 4);
    }

    /**
     * Reads a SICK file such as {@code SICK_test_annotated.txt}: the first line (the header) is skipped; per line
     * {@code line.strip().split('\t')} gives exactly 5 columns: pair_ID, sentence_A, sentence_B, relatedness_score,
     * entailment_judgment.
     *
     * @param file the file
     * @return the pairs, scored by relatedness
     * @throws NoSuchFileException naming the missing file
     * @throws StsFormatException naming the malformed line
     * @throws IOException if reading fails
     */
    public static List<StsPair> readSick(Path file) throws IOException {
        return readColumns(file, true,
                "pair_ID, sentence_A, sentence_B, relatedness_score, entailment_judgment", 5, 1, 2, 3);
    }

    private static List<StsPair> readColumns(Path file, boolean header, String names, int columns, int first,
            int second, int score) throws IOException {
        List<String> lines = PythonText.fileLines(read(file));
        List<StsPair> pairs = new ArrayList<>();
        for (int i = header ? 1 : 0; i < lines.size(); i++) {
            String[] fields = PythonText.strip(lines.get(i)).split("\t", -1);
            if (fields.length != columns) {
                throw new StsFormatException(file, i + 1, "expected " + columns + " tab-separated columns (" + names
                        + "), found " + fields.length);
            }
            pairs.add(new StsPair(PythonText.joinWords(fields[first]), PythonText.joinWords(fields[second]),
                    score(file, i + 1, fields[score])));
        }
        if (pairs.isEmpty()) {
            throw new StsFormatException(file, 0, "no pairs");
        }
        return pairs;
    }

    private static double score(Path file, int line, String text) throws StsFormatException {
        try {
            return PythonText.parseFloat(text);
        } catch (NumberFormatException e) {
            throw new StsFormatException(file, line, "the score '" + text + "' is not a finite decimal number");
        }
    }

    /** Reads a file, or its gzipped twin {@code file.gz} where only that one exists (decompressed transparently). */
    private static String read(Path file) throws IOException {
        byte[] bytes;
        Path gzipped = file.resolveSibling(file.getFileName() + ".gz");
        try {
            if (!Files.exists(file) && Files.exists(gzipped)) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(gzipped))) {
                    bytes = in.readAllBytes();
                }
            } else {
                bytes = Files.readAllBytes(file);
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "STS data file not found (nor " + gzipped.getFileName()
                    + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(in)
                    .toString();
        } catch (CharacterCodingException e) {
            int line = 1;
            for (int i = 0; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new StsFormatException(file, line, "not valid UTF-8 (byte offset " + in.position() + ")");
        }
    }
}
