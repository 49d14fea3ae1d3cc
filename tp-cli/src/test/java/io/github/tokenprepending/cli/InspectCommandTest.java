package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code tp inspect} with the bundled toy model (Llama, 5 layers, hidden 64, 512 tokens + {@code <PST>}). */
class InspectCommandTest {
    @Test
    void printsModelFactsAndMarksThePlaceholderAndThePooledToken() {
        Cli.Result r = Cli.run("inspect", "A cat sat.");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("family        llama (model_type llama)")
                .contains("layers        5\n")
                .contains("hidden size   64")
                .contains("<PST> id      512\n")
                .contains("settings      tp(1, 2), output layer 4, prompt prompteol, preset default");
        List<String> tokens = r.out().lines().filter(l -> l.matches("\\s*\\d+\\s+\\d+ .*")).toList();
        List<String> placeholder = tokens.stream().filter(l -> l.endsWith("<-- placeholder")).toList();
        assertThat(placeholder).hasSize(1);
        assertThat(placeholder.get(0)).matches("\\s*\\d+\\s+512\\s+.*<PST>.*");
        assertThat(tokens.get(tokens.size() - 1)).endsWith("<-- embedding read here");
        assertThat(tokens.stream().filter(l -> l.contains("<--"))).hasSize(2);
        int pst = Integer.parseInt(placeholder.get(0).trim().split("\\s+")[0]);
        assertThat(r.out()).contains("tokens, <PST> at " + pst);
    }

    @Test
    void vanillaHasNoPlaceholder() {
        Cli.Result r = Cli.run("inspect", "--vanilla");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("settings      vanilla, output layer -1").contains("<PST> at none")
                .doesNotContain("<-- placeholder").contains("<-- embedding read here");
    }

    @Test
    void saysWhichDtypesWereChosenAndWhy() {
        Cli.Result auto = Cli.run("inspect");
        assertThat(auto.exitCode()).as(auto.toString()).isZero();
        assertThat(auto.out()).contains("dtype         FLOAT32 (auto: float32 weights)")
                .contains("weights dtype FLOAT32").contains("widened layers 0 of 5\n");

        Cli.Result int8 = Cli.run("inspect", "--weights-dtype", "int8");
        assertThat(int8.exitCode()).as(int8.toString()).isZero();
        assertThat(int8.out()).contains("dtype         FLOAT32 (auto: int8 weights multiply through int8 kernels")
                .contains("weights dtype INT8");

        Cli.Result fp16 = Cli.run("inspect", "--weights-dtype", "fp16", "--dtype", "fp32");
        assertThat(fp16.exitCode()).as(fp16.toString()).isZero();
        assertThat(fp16.out()).contains("weights dtype FLOAT16");
        if (Files.isReadable(Path.of("/proc/meminfo"))) { // the memory available is known: widen what fits
            assertThat(fp16.out()).contains("widened layers 4 of 5 (16-bit matrices kept in float32 for float32"
                    + " compute)\n");
        }

        Cli.Result wrong = Cli.run("inspect", "--dtype", "int8");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.err()).contains("int8 is a weights dtype");
    }
}
