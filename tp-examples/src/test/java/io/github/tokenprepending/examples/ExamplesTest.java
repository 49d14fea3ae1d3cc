package io.github.tokenprepending.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.tokenprepending.Cosine;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example programs run on the bundled toy model and print what they promise. */
class ExamplesTest {
    @Test
    void toyModelIsAnExtractedCheckpointDirectory() {
        Path dir = ToyModel.directory();

        assertThat(dir.getFileName().toString()).startsWith(ToyModel.NAME + "-");
        assertThat(dir.resolve("config.json")).isRegularFile();
        assertThat(dir.resolve("model.safetensors")).isRegularFile();
        assertThat(dir.resolve("tokenizer.json")).isRegularFile();
        assertThat(ToyModel.directory()).isEqualTo(dir);
    }

    @Test
    void embedAndComparePrintsTheCosineOfEveryPair() {
        List<String> sentences = List.of("A man is playing a guitar.", "Someone is making music on a guitar.",
                "A woman is slicing an onion.", "The stock market fell sharply today.");
        List<float[]> vectors;
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(ToyModel.directory().toString()).build()) {
            vectors = encoder.embed(sentences);
        }

        String out = stdout(() -> EmbedAndCompare.main(new String[0]));

        assertThat(out).startsWith("4 sentences, 64 dimensions, Token Prepending tp(1, 2)");
        List<String> scores = out.lines().filter(l -> l.matches("-?\\d\\.\\d{4}  .+ \\| .+")).toList();
        assertThat(scores).hasSize(6);
        int line = 0;
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = i + 1; j < sentences.size(); j++) {
                String printed = scores.get(line++);
                assertThat(printed).endsWith("  " + sentences.get(i) + " | " + sentences.get(j));
                assertThat(Double.parseDouble(printed.substring(0, printed.indexOf(' '))))
                        .isCloseTo(Cosine.similarity(vectors.get(i), vectors.get(j)), within(1e-4))
                        .isNotZero();
            }
        }
        assertThat(scores.stream().map(l -> l.substring(0, 6)).distinct()).hasSizeGreaterThan(1);
    }

    @Test
    void semanticSearchPrintsTheTopThree() {
        String out = stdout(() -> SemanticSearch.main(new String[] {"-", "A", "dog", "runs", "in", "a", "field."}));

        List<String> lines = out.lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("query: A dog runs in a field.");
        assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("[1-3]\\. -?\\d\\.\\d{4}  .+"));
    }

    @Test
    void semanticSearchTakesAModelDirectory() {
        String model = ToyModel.directory().toString();

        String out = stdout(() -> SemanticSearch.main(new String[] {model}));

        assertThat(out).startsWith("query: Someone is performing music.\n1. ")
                .isEqualTo(stdout(() -> SemanticSearch.main(new String[] {"-"})));
        assertThatThrownBy(() -> SemanticSearch.main(new String[] {model + "-missing"}))
                .hasMessageContaining(model + "-missing");
    }

    private static String stdout(Runnable program) {
        PrintStream original = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            program.run();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
