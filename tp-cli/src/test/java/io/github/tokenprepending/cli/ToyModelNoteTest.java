package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tokenprepending.models.ToyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command that falls back to the bundled toy model says so on stderr, once; with --model it does not. */
class ToyModelNoteTest {
    private static final String NOTE = "no --model given, running the bundled stories260K-hf toy model";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"embed", "similarity", "search", "inspect"})
    void theFallbackIsAnnouncedOnce(String command) throws IOException {
        Cli.Result r = run(command, List.of());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err().split(NOTE, -1)).as(r.err()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"embed", "similarity", "search", "inspect"})
    void anExplicitModelIsNotAnnounced(String command) throws IOException {
        Cli.Result r = run(command, List.of("--model", ToyModel.directory().toString()));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("--model given");
    }

    private Cli.Result run(String command, List<String> model) throws IOException {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(model);
        switch (command) {
            case "similarity" -> args.addAll(List.of("A dog runs.", "A cat sleeps."));
            case "search" -> args.addAll(List.of("--corpus",
                    Files.writeString(dir.resolve("corpus.txt"), "A dog runs.\nA cat sleeps.\n").toString(), "dog"));
            case "inspect" -> args.add("A dog runs.");
            default -> { }
        }
        return Cli.runWithInput("A dog runs.\nA cat sleeps.\n", args.toArray(String[]::new));
    }
}
