package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.djl.sentencetransformers.StModels;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tp embed --model DIR --prompt-name NAME --dimensions N --format jsonl} on a trained embedder's folder gives
 * sentence-transformers' vectors (one sentence per line: the golden sentence with a line break is left out).
 */
class TrainedEmbedderCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void embedWithAPromptNameAndDimensionsGivesSentenceTransformersVectors() throws Exception {
        Golden golden = StModels.golden("qwen3-embedding");
        Case expected = golden.find("truncate_dim");
        Path model = StModels.unpack("qwen3-embedding", tmp);
        List<Integer> kept = new ArrayList<>();
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < golden.sentences().size(); i++) {
            if (!golden.sentences().get(i).contains("\n")) {
                kept.add(i);
                input.append(golden.sentences().get(i)).append('\n');
            }
        }
        Path file = Files.writeString(tmp.resolve("in.txt"), input);

        Cli.Result r = Cli.run("embed", "--model", model.toString(), "--dtype", "fp32", "--prompt-name", "query", "--dimensions",
                String.valueOf(expected.truncateDim()), "--format", "jsonl", file.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(kept.size());
        for (int k = 0; k < kept.size(); k++) {
            JsonNode vector = JSON.readTree(lines.get(k)).path("embedding");
            float[] want = expected.embeddings()[kept.get(k)];
            assertThat(vector.size()).isEqualTo(want.length);
            for (int d = 0; d < want.length; d++) {
                assertThat(vector.get(d).doubleValue()).as("sentence %d component %d", kept.get(k), d)
                        .isCloseTo(want[d], within(1e-5));
            }
        }
    }

    /** search embeds the query with the query prompt and the lines with the document prompt: the golden's cosines. */
    @Test
    void searchUsesTheQueryAndDocumentPrompts() throws Exception {
        Golden golden = StModels.golden("qwen3-embedding");
        float[] query = golden.find("prompt_query").embeddings()[1];
        float[][] documents = golden.find("prompt_document").embeddings();
        Path model = StModels.unpack("qwen3-embedding", tmp);
        StringBuilder corpus = new StringBuilder();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < golden.sentences().size(); i++) {
            if (!golden.sentences().get(i).contains("\n")) {
                kept.add(i);
                corpus.append(golden.sentences().get(i)).append('\n');
            }
        }
        Path file = Files.writeString(tmp.resolve("corpus.txt"), corpus);

        Cli.Result r = Cli.run("search", "--model", model.toString(), "--dtype", "fp32", "--corpus", file.toString(), "--top-k",
                String.valueOf(kept.size()), golden.sentences().get(1));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> hits = r.out().lines().filter(l -> l.matches("\\s*\\d+\\. .*")).toList();
        assertThat(hits).hasSize(kept.size());
        for (String hit : hits) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*\\d+\\. (-?\\d\\.\\d{4})  line (\\d+):.*")
                    .matcher(hit);
            assertThat(m.matches()).as(hit).isTrue();
            int sentence = kept.get(Integer.parseInt(m.group(2)) - 1);
            assertThat(Double.parseDouble(m.group(1))).as(hit)
                    .isCloseTo(io.github.tokenprepending.Cosine.similarity(query, documents[sentence]), within(1e-4));
        }
    }

    @Test
    void anUnknownPromptNameOrTooManyDimensionsIsAnOptionError() throws Exception {
        Path model = StModels.unpack("qwen3-embedding", tmp);
        Path file = Files.writeString(tmp.resolve("in.txt"), "Hi\n");

        Cli.Result name = Cli.run("embed", "--model", model.toString(), "--prompt-name", "passage", file.toString());
        assertThat(name.exitCode()).as(name.toString()).isNotZero();
        assertThat(name.err()).contains("passage").contains("query, document");

        Cli.Result dims = Cli.run("embed", "--model", model.toString(), "--dimensions", "33", file.toString());
        assertThat(dims.exitCode()).as(dims.toString()).isNotZero();
        assertThat(dims.err()).contains("dimensions 33 exceed the model's 32");
    }
}
