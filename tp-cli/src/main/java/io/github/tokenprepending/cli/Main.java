package io.github.tokenprepending.cli;

import io.github.tokenprepending.djl.DjlRuntime;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/** {@code java -jar tp.jar <command>}: the command line of token-prepending-java. */
@Command(name = "tp", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = Main.Version.class,
        sortOptions = false, descriptionHeading = "%n", parameterListHeading = "%nArguments:%n",
        optionListHeading = "%nOptions:%n",
        description = {"Sentence embeddings from decoder-only LLMs with Token Prepending (Fu et al., ACL 2025).",
            "",
            "Without --model, every command runs the bundled stories260K toy model (no download): it proves the"
                    + " pipeline, but its embeddings are not useful. --model takes a HuggingFace id (downloaded"
                    + " into the HF cache) or a local checkpoint directory."},
        commandListHeading = "%nCommands:%n",
        subcommands = {EmbedCommand.class, SimilarityCommand.class, SearchCommand.class, StsCommand.class,
            InspectCommand.class, BenchCommand.class, RetrievalCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
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
            String warning = NativePlatform.warning(NativePlatform.ofThisJar(), NativePlatform.ofThisMachine(),
                    System.getenv("PYTORCH_LIBRARY_PATH"));
            if (warning != null) {
                System.err.println(warning);
            }
        }
        CommandLine cli = commandLine();
        cli.setParameterExceptionHandler(Main::usageError);
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

    /**
     * @return the {@code tp} command line with every subcommand and the encoder options generated from the
     *     settings' declarations, without the handlers of {@link #run}
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(Main.class);
        EncoderOptions.install(cli);
        // set here, not in @Command: the subcommands inherit the annotation's attributes (scope INHERIT)
        cli.getCommandSpec().usageMessage().footer("", "Run 'tp COMMAND --help' for a command's options. Exit codes:"
                + " 0 success, 1 failure, 2 usage error.");
        return cli;
    }

    /** A usage error: the message and a pointer to the help, not the whole help (which is long). */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        if (cmd.getParent() == null && args.length == 0) {
            cmd.usage(err);
            return cmd.getCommandSpec().exitCodeOnInvalidInput();
        }
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** @return a one-line explanation of a failure, naming the file where a file is at fault */
    static String message(Throwable e) {
        if (e instanceof UncheckedIOException && e.getCause() != null
                && (e.getMessage() == null || e.getMessage().equals(e.getCause().getMessage()))) {
            return message(e.getCause());
        }
        if (e instanceof NoSuchFileException f && f.getReason() == null) {
            return "no such file or directory: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f && f.getReason() == null) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String[] lines = m.strip().split("\\R");
        if (lines.length > 3 && !Boolean.getBoolean("tp.debug")) {
            // native engines can answer with pages of diagnostics: the first line says what went wrong
            return lines[0] + " (" + (lines.length - 1) + " more lines: run with -Dtp.debug=true)";
        }
        return m;
    }

    /** The version from the jar manifest. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tp (token-prepending-java) " + (v == null ? "development build" : v)};
        }
    }
}
