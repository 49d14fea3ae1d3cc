package io.github.tokenprepending.cli;

import io.github.tokenprepending.djl.DjlRuntime;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar tp.jar <command>}: the command line of token-prepending-java. */
@Command(name = "tp", mixinStandardHelpOptions = true, version = "token-prepending-java 0.1.0",
        description = {"Sentence embeddings from decoder-only LLMs with Token Prepending (Fu et al., ACL 2025).",
            "Without --model, the bundled stories260K toy model runs (no download): it proves the pipeline,",
            "it is not a useful embedding model."},
        subcommands = {EmbedCommand.class, SimilarityCommand.class, SearchCommand.class, StsCommand.class,
            InspectCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main {
    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * @param args the command line
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(String... args) {
        DjlRuntime.init();
        if (System.getProperty("ai.djl.offline") == null) {
            // tp.jar ships the CPU natives; never reach out for others unless asked (-Dai.djl.offline=false)
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cli = new CommandLine(Main.class);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + message(e));
            if (Boolean.getBoolean("tp.debug")) {
                e.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
