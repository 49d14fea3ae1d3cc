package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version, usage errors (exit 2) and failures (exit 1): a message, never a stack trace. */
class UsageTest {
    @Test
    void helpListsTheCommands() {
        Cli.Result r = Cli.run("--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: tp ").contains("embed").contains("similarity").contains("search")
                .contains("sts").contains("inspect").contains("bench").contains("Exit codes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"embed", "similarity", "search", "sts", "inspect", "bench", "retrieval", "serve"})
    void everyCommandHasHelpWithTheModelOptionsInTheirOwnSection(String command) {
        Cli.Result r = Cli.run(command, "--help");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("Usage: tp " + command + " ")
                .contains("Model and Token Prepending options:").contains("--model=ID|DIR").contains("--tp=START EXIT")
                .doesNotContain("Exit codes"); // the root's footer is not inherited
        assertThat(r.err()).isEmpty();
    }

    @Test
    void versionWorksOnSubcommandsToo() {
        Cli.Result root = Cli.run("--version");
        Cli.Result sub = Cli.run("embed", "--version");

        assertThat(root.exitCode()).isZero();
        assertThat(root.out()).startsWith("tp (token-prepending-java) ");
        assertThat(sub.out()).isEqualTo(root.out());
    }

    @Test
    void noCommandPrintsTheHelpAndExits2() {
        Cli.Result r = Cli.run();

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Usage: tp ").contains("Commands:");
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                usage("Unknown option: '--bogus'", "embed", "--bogus"),
                usage("port must be 0..65535, got 70000", "serve", "--port", "70000"),
                usage("max client batch size must be at least 1, got 0", "serve", "--max-client-batch-size", "0"),
                usage("--vanilla: excludes a Token Prepending range", "similarity", "--vanilla", "--tp", "1", "2", "a", "b"),
                usage("TP start (3) must be smaller than TP exit (1)", "similarity", "--tp", "3", "1", "a", "b"),
                usage("--tp: takes START EXIT", "similarity", "--tp", "1", "2", "--tp", "1", "3", "a", "b"),
                usage("Invalid value for option '--tp'", "similarity", "--tp", "1", "a", "b"),
                usage("--prompt: a template needs {sentence}", "similarity", "--prompt",
                        "This sentence: <PST> means in one word:\"", "a", "b"),
                usage("Token Prepending needs a <PST>", "similarity", "--prompt", "\"{sentence}\" means", "a", "b"),
                usage("unknown prompt method 'nope'", "similarity", "--prompt", "nope", "a", "b"),
                usage("unknown dtype 'fp64'", "similarity", "--dtype", "fp64", "a", "b"),
                usage("unknown --device 'tpu'", "similarity", "--device", "tpu", "a", "b"),
                usage("unknown preset 'nope'", "similarity", "--preset", "nope", "a", "b"),
                usage("output layer 'top'", "similarity", "--output-layer", "top", "a", "b"),
                usage("Invalid value for option '--batch-size'", "similarity", "--batch-size", "zero", "a", "b"),
                usage("--batch-size", "similarity", "--batch-size", "0", "a", "b"),
                usage("--max-batch-tokens", "similarity", "--max-batch-tokens", "0", "a", "b"),
                usage("--max-tokens", "similarity", "--max-tokens", "-3", "a", "b"),
                usage("--threads", "similarity", "--threads", "-1", "a", "b"),
                usage("--placeholder", "similarity", "--placeholder", "bogus", "a", "b"),
                usage("--output-layer", "similarity", "--output-layer", "after:x", "a", "b"),
                usage("--dtype", "embed", "--dtype", "fp8"),
                usage("--prompt", "inspect", "--prompt", "nope"),
                usage("--tp", "inspect", "--tp", "5", "2"),
                usage("one sentence given", "similarity", "a"),
                usage("--output-layer: ", "search", "--corpus", "no-such-corpus.txt", "--output-layer", "top", "q"),
                usage("Did you mean: tp similarity", "simlarity", "a", "b"));
    }

    private static Arguments usage(String message, String... args) {
        return Arguments.of(String.join(" ", args), args, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usageErrors")
    void usageErrorsExit2WithAMessage(String commandLine, String[] args, String message) {
        Cli.Result r = Cli.run(args);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).startsWith("error: ").contains(message).contains("--help' for usage")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void nonexistentModelDirectoryExits1WithAClearMessage() {
        Cli.Result r = Cli.run("similarity", "--model", "/nonexistent", "a", "b");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: '/nonexistent' is neither an existing directory nor a valid model id")
                .doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aGpuWithTheBundledCpuLibtorchNamesTheWayToACudaBuild() {
        Cli.Result r = Cli.run("similarity", "--device", "cuda:0", "a", "b");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("libtorch sees 0 CUDA devices").contains("PYTORCH_LIBRARY_PATH=")
                .contains("PYTORCH_VERSION=2.7.1").contains("PYTORCH_FLAVOR=cu128").contains("docs/gpu.md");
    }

    @Test
    void anOutputLayerOutsideTheModelIsAUsageErrorNamingTheOption() {
        Cli.Result r = Cli.run("embed", "--output-layer", "999");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: --output-layer: output layer hidden_states[999] is outside a model"
                + " with 5 layers (valid: -6..5)").doesNotContain("\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aTpRangeStartingPastTheModelIsAUsageErrorNamingTheOption() {
        Cli.Result r = Cli.run("similarity", "--tp", "5", "9", "a", "b");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("error: --tp: tp(5, 9) starts past the model's 5 decoder layers (START must be"
                + " 0..4)");
    }
}
