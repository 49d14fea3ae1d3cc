package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.djl.sentencetransformers.StModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tp bench} on a small random-weight Llama. */
class BenchCommandTest {
    private static final String SYNTHETIC = "llama:hidden=64,layers=2,heads=4,vocab=32001";

    @TempDir
    Path dir;

    @Test
    void jsonHasFourResultsPerMethod() throws IOException {
        Path sentences = Files.write(dir.resolve("sentences.txt"),
                IntStream.rangeClosed(1, 10).mapToObj(i -> "This is test sentence number " + i + ".").toList());

        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--methods", "prompteol", "--passes", "3", "--json",
                "--sentences", sentences.toString(), "--count", "4");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("sentences").asInt()).isEqualTo(4);
        assertThat(root.get("passes").asInt()).isEqualTo(3);
        JsonNode results = root.get("results");
        assertThat(results).hasSize(4);
        List<String> modes = new ArrayList<>();
        for (JsonNode result : results) {
            assertThat(result.get("method").asText()).isEqualTo("prompteol");
            assertThat(result.get("outputLayer").isTextual()).isTrue();
            assertThat(result.get("prefixCache").isBoolean()).isTrue();
            assertThat(result.get("sentencesPerSecond").asDouble()).isPositive();
            assertThat(result.get("tokensPerSecond").asDouble()).isPositive();
            modes.add(result.get("mode").asText() + "/" + result.get("prefixCache").asBoolean());
        }
        assertThat(modes).containsExactly("vanilla/false", "vanilla/false", "tp/false", "tp/true");
        assertThat(results.get(0).get("outputLayer").asText()).isEqualTo("-1 (2 layers)");
    }

    @Test
    void tpRangeAndOutputLayerOverrideThePreset() throws IOException {
        Path sentences = Files.write(dir.resolve("sentences.txt"), List.of("One sentence.", "Another one."));

        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--methods", "cot", "--json", "--sentences",
                sentences.toString(), "--tp", "0", "1", "--output-layer", "1");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).get("method").asText()).isEqualTo("cot");
        assertThat(results.get(0).get("outputLayer").asText()).isEqualTo("-1 (2 layers)");
        for (int i = 1; i < 4; i++) {
            assertThat(results.get(i).get("outputLayer").asText()).isEqualTo("1 (1 layers)");
        }
    }

    @Test
    void theDefaultIsPromptEolInFourModesWithAProgressLineEach() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--count", "2");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("sentences: 2, timed passes: 3").contains("sentences/s: median of the 3 timed"
                + " passes").contains("prompteol TP vs vanilla at the same output layer: ");
        assertThat(r.out().lines().filter(l -> l.startsWith("prompteol "))).hasSize(5); // 4 rows and the ratios
        assertThat(r.err().lines().filter(l -> l.matches("\\[\\d/4] prompteol .* warm-up .* s to go"))).hasSize(4);
    }

    @Test
    void allRunsEveryPromptMethod() throws IOException {
        Path sentences = Files.write(dir.resolve("sentences.txt"), List.of("One sentence.", "Another one."));

        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--all", "--json", "--sentences",
                sentences.toString(), "--count", "1");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> methods = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("results").forEach(n -> methods.add(n.get("method").asText()));
        assertThat(methods).hasSize(16).containsOnly("prompteol", "cot", "ke", "metaeol");
    }

    @Test
    void allWithMethodsIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--all", "--methods", "cot");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--all runs every prompt method: drop --methods");
    }

    @Test
    void tooFewPassesIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--passes", "2");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--passes must be at least 3");
    }

    @Test
    void syntheticWithModelIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--model", "meta-llama/Llama-2-7b-hf");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--synthetic replaces the model");
    }

    @Test
    void aModeGivenTwiceIsAUsageError() {
        // two methods with "full,full,tp,tp" once paired one method's rows with the other's in the ratios
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--methods", "prompteol,cot", "--modes",
                "full,full,tp,tp");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--modes: mode 'full' is given twice");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void modesInAnyOrderAreMeasuredInTheBenchOrder() throws IOException {
        Path sentences = Files.write(dir.resolve("sentences.txt"), List.of("One sentence.", "Another one."));

        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--modes", "tp-cache,early", "--json",
                "--sentences", sentences.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> modes = new ArrayList<>();
        new ObjectMapper().readTree(r.out()).get("results").forEach(n -> modes.add(n.get("mode").asText() + "/"
                + n.get("prefixCache").asBoolean()));
        assertThat(modes).containsExactly("vanilla/false", "tp/true");
    }

    /** A trained embedder's named prompts: a row each, under its own settings, with the prompt's tokens counted. */
    @Test
    void promptNamesOfATrainedEmbedderAreARowEach() throws IOException {
        Path model = StModels.unpack("qwen3-embedding", dir.resolve("models"));
        Path sentences = Files.write(dir.resolve("sentences.txt"), List.of("One sentence.", "Another one."));

        Cli.Result r = Cli.run("bench", "--model", model.toString(), "--prompt-names", "query,document", "--json",
                "--sentences", sentences.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode results = new ObjectMapper().readTree(r.out()).get("results");
        assertThat(results).hasSize(2);
        assertThat(results.get(0).get("method").asText()).isEqualTo("query");
        assertThat(results.get(1).get("method").asText()).isEqualTo("document");
        for (JsonNode result : results) {
            assertThat(result.get("mode").asText()).isEqualTo("trained");
            assertThat(result.get("prefixCache").asBoolean()).isTrue();
            assertThat(result.get("sentencesPerSecond").asDouble()).isPositive();
        }
        // the query prompt adds the instruction (about 20 tokens) to every sentence, but the prefix cache computes it
        // once: per sentence the model computes about as many tokens for a query as for a document
        assertThat(results.get(0).get("computedTokensPerSentence").asDouble())
                .isLessThanOrEqualTo(results.get(1).get("computedTokensPerSentence").asDouble() + 2);
    }

    @Test
    void anUnknownPromptNameIsAnErrorThatListsTheModelsPrompts() {
        Path model = StModels.unpack("qwen3-embedding", dir.resolve("models"));

        Cli.Result r = Cli.run("bench", "--model", model.toString(), "--prompt-names", "query,querry", "--count", "1");

        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("unknown prompt name 'querry'").contains("query, document");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void promptNamesWithMethodsOrModesIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--prompt-names", "query", "--modes", "tp");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--prompt-names measures a trained embedder's named prompts");
    }

    @Test
    void unknownMethodIsAUsageError() {
        Cli.Result r = Cli.run("bench", "--synthetic", SYNTHETIC, "--methods", "prompteol,nope");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown prompt method 'nope'");
    }
}
