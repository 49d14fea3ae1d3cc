package io.github.tokenprepending.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The paper's seven STS tasks, in the order of its tables, with their SentEval data locations. */
public enum StsTask {
    /** SemEval 2012. */
    STS12("STS12", "STS12-en-test", List.of("MSRpar", "MSRvid", "SMTeuroparl", "surprise.OnWN", "surprise.SMTnews")),
    /** SemEval 2013, without the SMT subset (not distributed, as in SentEval). */
    STS13("STS13", "STS13-en-test", List.of("FNWN", "headlines", "OnWN")),
    /** SemEval 2014. */
    STS14("STS14", "STS14-en-test",
            List.of("deft-forum", "deft-news", "headlines", "images", "OnWN", "tweet-news")),
    /** SemEval 2015. */
    STS15("STS15", "STS15-en-test",
            List.of("answers-forums", "answers-students", "belief", "headlines", "images")),
    /** SemEval 2016. */
    STS16("STS16", "STS16-en-test",
            List.of("answer-answer", "headlines", "plagiarism", "postediting", "question-question")),
    /** STS Benchmark, test split ({@code STSBenchmark/sts-test.csv}). */
    STS_B("STS-B", "STSBenchmark", List.of("test")),
    /** SICK relatedness, test split ({@code SICK/SICK_test_annotated.txt}). */
    SICK_R("SICK-R", "SICK", List.of("test"));

    private final String label;
    private final String directory;
    private final List<String> subsets;

    StsTask(String label, String directory, List<String> subsets) {
        this.label = label;
        this.directory = directory;
        this.subsets = subsets;
    }

    /** @return the name in the paper's tables: {@code STS12} .. {@code STS16}, {@code STS-B}, {@code SICK-R} */
    public String label() {
        return label;
    }

    /** @return the task's directory in SentEval's data layout, e.g. {@code STS12-en-test} */
    public String directory() {
        return directory;
    }

    /** @return the subsets in SentEval's order; {@code [test]} for STS-B and SICK-R */
    public List<String> subsets() {
        return subsets;
    }

    /**
     * Reads the task's test data.
     *
     * @param dataRoot the directory holding SentEval's task directories ({@code STS12-en-test}, ...,
     *     {@code STSBenchmark}, {@code SICK}), or SentEval's {@code data/downstream} (STS tasks under {@code STS/})
     * @return the scored pairs
     * @throws NoSuchFileException naming the missing directory or file
     * @throws StsFormatException naming the file and line that is malformed
     * @throws IOException if reading fails
     */
    public StsDataset load(Path dataRoot) throws IOException {
        if (!Files.isDirectory(dataRoot)) {
            throw new NoSuchFileException(dataRoot.toString(), null, "STS data directory not found"
                    + " (expected SentEval's layout: STS12-en-test, ..., STSBenchmark, SICK)");
        }
        Path dir = dataRoot.resolve(directory);
        if (!Files.isDirectory(dir) && Files.isDirectory(dataRoot.resolve("STS").resolve(directory))) {
            dir = dataRoot.resolve("STS").resolve(directory);
        }
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, label + " data directory not found");
        }
        List<StsSubset> data = switch (this) {
            case STS_B -> List.of(new StsSubset("test", SentEvalReader.readStsBenchmark(dir.resolve("sts-test.csv"))));
            case SICK_R -> List.of(new StsSubset("test",
                    SentEvalReader.readSick(dir.resolve("SICK_test_annotated.txt"))));
            default -> {
                List<StsSubset> read = new ArrayList<>();
                for (String subset : subsets) {
                    read.add(SentEvalReader.readStsSubset(dir, subset));
                }
                yield read;
            }
        };
        return new StsDataset(this, data);
    }

    /**
     * Parses a task name, ignoring case and punctuation: the labels ({@code STS-B}), the enum names
     * ({@code STS_B}), and SentEval's names ({@code STSBenchmark}, {@code SICKRelatedness}, also {@code SICK}).
     *
     * @param name the name
     * @return the task
     * @throws IllegalArgumentException for an unknown name
     */
    public static StsTask parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (StsTask task : values()) {
            if (n.equals(task.label.toLowerCase(Locale.ROOT).replace("-", ""))) {
                return task;
            }
        }
        switch (n) {
            case "stsbenchmark": return STS_B;
            case "sick": case "sickrelatedness": return SICK_R;
            default:
                throw new IllegalArgumentException("unknown STS task '" + name
                        + "' (expected STS12, STS13, STS14, STS15, STS16, STS-B or SICK-R)");
        }
    }
}
