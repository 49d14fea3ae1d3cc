package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tp search} with the bundled toy model. */
class SearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void anExactDuplicateOfTheQueryRanksFirst() throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), String.join("\n",
                "A chef is chopping vegetables in the kitchen.",
                "The children are building a sandcastle on the beach.",
                "",
                "A dog is running across a grassy field.",
                "Lily went to the park with her mother.",
                "Two people are hiking up a snowy mountain.",
                "The cat is sleeping on the windowsill.") + "\n");

        Cli.Result r = Cli.run("search", "--corpus", corpus.toString(), "-k", "3", "Lily went to the park with her",
                "mother.");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("query: Lily went to the park with her mother.");
        assertThat(lines.get(1)).matches(" 1\\. 1\\.0000  line 5: Lily went to the park with her mother\\.");
        assertThat(lines.get(2)).startsWith(" 2. ");
        assertThat(lines.get(3)).startsWith(" 3. ");
    }

    @Test
    void topKBelowOneIsAUsageError() throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "a\n");

        Cli.Result r = Cli.run("search", "--corpus", corpus.toString(), "-k", "0", "a");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--top-k must be at least 1");
    }

    @Test
    void missingCorpusOptionIsAUsageError() {
        Cli.Result r = Cli.run("search", "query");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option: '--corpus=FILE'").contains("tp search --help");
    }
}
