package io.github.tokenprepending.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The rules that keep the repository's Markdown true, each problem reported as {@code FILE:LINE: [rule] what}:
 * <ul>
 * <li>{@code link}: a relative link ({@code [text](target)}, images and reference definitions too) names a file or
 * folder inside the repository that exists, and its {@code #anchor} a heading of the target Markdown file, slugged
 * as GitHub does;</li>
 * <li>{@code machine-path}: no absolute path of a build machine (under {@code /tmp}, {@code /opt}, {@code /root},
 * {@code /home}, {@code /work}, {@code /usr/local}, {@code /var/tmp}, {@code /mnt}, {@code /media}, {@code /scratch},
 * {@code /Users}, or {@code C:\Users}). HTTP routes ({@code /v1/embeddings}) and container paths ({@code /models})
 * are not under those roots; a {@code dockerfile} code block describes a container's file system and is exempt;</li>
 * <li>{@code cli}: a {@code tp ...} or {@code java ... -jar .../tp.jar ...} command in a shell code block or an
 * inline code span uses only sub-commands and options that picocli's model of the CLI ({@link Main#commandLine()})
 * has.</li>
 * </ul>
 */
final class DocsCheck {
    private static final Pattern FENCE = Pattern.compile("^\\s*(```+|~~~+)\\s*([\\w+-]*).*$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern INLINE_CODE = Pattern.compile("(`+)(.+?)\\1");
    private static final Pattern LINK = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\]]*\\])*)\\]\\(\\s*<?([^)\\s>]*)>?"
            + "(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");
    private static final Pattern MACHINE_PATH = Pattern.compile("(?<![\\w.~/$:-])(/(?:tmp|opt|root|home|work|usr/local"
            + "|var/tmp|mnt|media|scratch|Users)(?![\\w.-])[^\\s`'\"()<>,;]*)"
            + "|\\b([A-Za-z]:\\\\Users\\\\[^\\s`'\"()<>,;]*)");
    private static final Set<String> SHELL_LANGUAGES = Set.of("", "bash", "sh", "shell", "console", "zsh", "text");
    private static final Set<String> CONTAINER_LANGUAGES = Set.of("dockerfile", "containerfile");
    private static final Set<String> WRAPPERS = Set.of("time", "nohup", "exec", "env", "sudo", "command");
    private static final Pattern ASSIGNMENT = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*=.*");
    private static final Pattern PLACEHOLDER = Pattern.compile("^(<[^>]+>|[A-Z][A-Z0-9_]*)$");
    private static final Pattern NUMBER = Pattern.compile("^-\\d.*");

    private final Path root;
    private final CommandSpec cli = Main.commandLine().getCommandSpec();
    private final Map<Path, Set<String>> anchors = new HashMap<>();

    /** @param root the repository's root folder */
    DocsCheck(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** @return every Markdown file of the repository, build outputs and hidden folders left out */
    List<Path> markdownFiles() {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md"))
                    .filter(p -> {
                        for (Path part : root.relativize(p.getParent() == null ? p : p.getParent())) {
                            String s = part.toString();
                            if (s.equals("target") || s.equals("node_modules")
                                    || (s.startsWith(".") && s.length() > 1)) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param file a Markdown file inside the repository
     * @return its problems, each {@code FILE:LINE: [rule] what}
     */
    List<String> check(Path file) {
        List<String> problems = new ArrayList<>();
        List<Line> lines = parse(file);
        for (Line line : lines) {
            String where = root.relativize(file) + ":" + line.number() + ": ";
            if (line.fence() == null || !CONTAINER_LANGUAGES.contains(line.fence())) {
                Matcher m = MACHINE_PATH.matcher(line.text());
                while (m.find()) {
                    String path = (m.group(1) != null ? m.group(1) : m.group(2)).replaceFirst("[.:]+$", "");
                    problems.add(where + "[machine-path] '" + path
                            + "' is a path of a build machine: use a placeholder such as MODEL_DIR or a path"
                            + " relative to the repository");
                }
            }
            if (line.fence() == null) {
                String prose = INLINE_CODE.matcher(line.text()).replaceAll("");
                Matcher reference = REFERENCE.matcher(prose);
                if (reference.matches()) {
                    checkLink(file, reference.group(1), where, problems);
                }
                Matcher link = LINK.matcher(prose);
                while (link.find()) {
                    checkLink(file, link.group(2), where, problems);
                }
                Matcher code = INLINE_CODE.matcher(line.text());
                while (code.find()) {
                    checkCommands(code.group(2).replace("\\|", "|"), where, problems);
                }
            } else if (line.command() != null) {
                checkCommands(line.command(), root.relativize(file) + ":" + line.commandStart() + ": ", problems);
            }
        }
        return problems;
    }

    /**
     * One line of a Markdown file; {@code command} is a shell code block's command, its continuation lines joined,
     * on the last of them ({@code commandStart} is the first).
     */
    private record Line(int number, String text, String fence, String command, int commandStart) {
    }

    private static List<Line> parse(Path file) {
        List<String> raw = read(file);
        List<Line> lines = new ArrayList<>();
        String fence = null;
        String fenceMarker = null;
        StringBuilder command = new StringBuilder();
        int commandStart = 0;
        for (int i = 0; i < raw.size(); i++) {
            String text = raw.get(i);
            Matcher f = FENCE.matcher(text);
            if (f.matches() && (fence == null || (f.group(1).startsWith(fenceMarker) && f.group(2).isEmpty()))) {
                if (fence == null) {
                    fence = f.group(2).toLowerCase(Locale.ROOT);
                    fenceMarker = f.group(1);
                } else {
                    fence = null;
                }
                lines.add(new Line(i + 1, "", null, null, i + 1));
                continue;
            }
            String cmd = null;
            if (fence != null && SHELL_LANGUAGES.contains(fence)) {
                if (command.length() == 0) {
                    commandStart = i + 1;
                }
                String stripped = text.strip().replaceFirst("^\\$ ", "");
                if (stripped.endsWith("\\")) {
                    command.append(stripped, 0, stripped.length() - 1).append(' ');
                } else {
                    cmd = command.append(stripped).toString();
                    command.setLength(0);
                }
            }
            lines.add(new Line(i + 1, text, fence, cmd, commandStart));
        }
        return lines;
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- links ----

    private void checkLink(Path file, String target, String where, List<String> problems) {
        if (target.isEmpty() || SCHEME.matcher(target).find()) {
            return;
        }
        int hash = target.indexOf('#');
        String pathPart = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = pathPart.isEmpty() ? file : file.getParent().resolve(pathPart).normalize();
        if (!resolved.startsWith(root)) {
            problems.add(where + "[link] '" + target + "' points outside the repository");
            return;
        }
        if (!Files.exists(resolved)) {
            problems.add(where + "[link] '" + target + "': no such file " + root.relativize(resolved));
            return;
        }
        if (anchor != null && !anchor.isEmpty() && resolved.toString().endsWith(".md")) {
            Set<String> known = anchors.computeIfAbsent(resolved, DocsCheck::anchorsOf);
            if (!known.contains(URLDecoder.decode(anchor, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))) {
                problems.add(where + "[link] '" + target + "': no heading of " + root.relativize(resolved)
                        + " has the anchor #" + anchor);
            }
        }
    }

    /** @return the anchors GitHub gives a file's headings (and explicit {@code <a name>} anchors) */
    static Set<String> anchorsOf(Path file) {
        Set<String> result = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Line line : parse(file)) {
            Matcher a = HTML_ANCHOR.matcher(line.text());
            while (line.fence() == null && a.find()) {
                result.add(a.group(1).toLowerCase(Locale.ROOT));
            }
            Matcher h = HEADING.matcher(line.text());
            if (line.fence() == null && h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                result.add(n == 0 ? slug : slug + "-" + n);
            }
        }
        return result;
    }

    /** @return the anchor GitHub makes of a heading: its text lower-cased, punctuation dropped, spaces to hyphens */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1") // a link's text stays
                .replaceAll("<[^>]+>", "") // inline HTML goes
                .replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
    }

    // ---- tp commands ----

    private void checkCommands(String line, String where, List<String> problems) {
        for (List<String> command : shellCommands(line)) {
            List<String> args = tpArguments(command);
            if (args != null) {
                String shown = String.join(" ", command);
                for (String problem : cliProblems(args)) {
                    problems.add(where + "[cli] `" + shown + "`: " + problem);
                }
            }
        }
    }

    /** @return the arguments after {@code tp} or {@code java ... -jar tp.jar}, or null if the command is neither */
    private static List<String> tpArguments(List<String> command) {
        int i = 0;
        while (i < command.size()
                && (ASSIGNMENT.matcher(command.get(i)).matches() || WRAPPERS.contains(command.get(i)))) {
            i++;
        }
        if (i < command.size() && command.get(i).equals("tp")) {
            return command.subList(i + 1, command.size());
        }
        boolean java = false;
        for (int j = i; j + 1 < command.size(); j++) {
            String word = command.get(j);
            java |= word.equals("java") || word.endsWith("/java");
            String jar = command.get(j + 1);
            if (java && word.equals("-jar") && (jar.equals("tp.jar") || jar.endsWith("/tp.jar"))) {
                return command.subList(j + 2, command.size());
            }
        }
        return null;
    }

    /** @return what picocli's model of {@code tp} does not know in these arguments */
    List<String> cliProblems(List<String> args) {
        List<String> problems = new ArrayList<>();
        CommandSpec command = cli;
        boolean placeholder = false;
        boolean positional = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                break;
            }
            boolean option = arg.startsWith("-") && arg.length() > 1 && !NUMBER.matcher(arg).matches();
            if (!option) {
                if (!positional && !placeholder && command.subcommands().containsKey(arg)) {
                    command = command.subcommands().get(arg).getCommandSpec();
                } else if (command == cli && !placeholder && !positional) {
                    if (PLACEHOLDER.matcher(arg).matches()) {
                        placeholder = true;
                    } else {
                        problems.add("'" + arg + "' is not a sub-command of tp (known: "
                                + String.join(", ", cli.subcommands().keySet()) + ")");
                        return problems;
                    }
                } else {
                    positional = true;
                }
                continue;
            }
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            Map<String, OptionSpec> options = placeholder ? commonOptions() : optionsOf(command);
            OptionSpec spec = options.get(name);
            if (spec == null) {
                problems.add("'" + name + "' is not an option of '" + command.qualifiedName()
                        + (placeholder ? " COMMAND' (common to every command)" : "'"));
                continue;
            }
            if (!arg.contains("=")) {
                i += spec.arity().min();
            }
        }
        return problems;
    }

    private static Map<String, OptionSpec> optionsOf(CommandSpec command) {
        Map<String, OptionSpec> byName = new HashMap<>();
        for (OptionSpec option : command.options()) {
            for (String name : option.names()) {
                byName.put(name, option);
            }
        }
        return byName;
    }

    /** @return the options every sub-command has, for {@code tp COMMAND --help} */
    private Map<String, OptionSpec> commonOptions() {
        List<Map<String, OptionSpec>> all = cli.subcommands().values().stream()
                .filter(c -> !(c.getCommand() instanceof CommandLine.HelpCommand))
                .map(c -> optionsOf(c.getCommandSpec())).toList();
        return all.get(0).entrySet().stream().filter(e -> all.stream().allMatch(m -> m.containsKey(e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /**
     * Splits a shell line into simple commands: words with quotes removed, ending at {@code && || ; |}; a redirection
     * ({@code > FILE}, {@code 2>&1}, {@code < FILE}) and a comment end the words of a command.
     */
    static List<List<String>> shellCommands(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean redirected = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                end = end < 0 ? line.length() : end;
                word.append(line, i + 1, end);
                inWord = true;
                i = end;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == '<' && line.substring(i).matches("(?s)<[A-Za-z][\\w.-]*>.*")) {
                int end = line.indexOf('>', i);
                word.append(line, i, end + 1);
                inWord = true;
                i = end;
            } else if (c == '#' && !inWord) {
                break;
            } else if (Character.isWhitespace(c) || "|&;<>".indexOf(c) >= 0) {
                if (inWord && !(">".indexOf(c) >= 0 && word.toString().matches("\\d+"))) {
                    if (!redirected) {
                        words.add(word.toString());
                    }
                }
                word.setLength(0);
                inWord = false;
                if (c == '<' || c == '>') {
                    redirected = true;
                } else if ("|&;".indexOf(c) >= 0) {
                    if (c == '&' && i > 0 && line.charAt(i - 1) == '>') {
                        continue; // 2>&1
                    }
                    if (!words.isEmpty()) {
                        commands.add(List.copyOf(words));
                    }
                    words.clear();
                    redirected = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord && !redirected) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            commands.add(List.copyOf(words));
        }
        return commands;
    }
}
