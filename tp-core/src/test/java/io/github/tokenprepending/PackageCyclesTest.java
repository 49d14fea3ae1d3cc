package io.github.tokenprepending;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tp-core's packages form no cycle: a package never depends, directly or through others, on a package that depends
 * on it. Dependencies are read off the sources of {@code src/main/java}: their {@code import} lines and the
 * fully-qualified names in their code (comments and string literals left out).
 */
class PackageCyclesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");
    private static final Pattern QUALIFIED = Pattern.compile("(?<![\\w.])((?:[a-z_]\\w*\\.)+[A-Z]\\w*)");

    @Test
    void tpCoreHasNoPackageCycle() {
        PackageGraph graph = PackageGraph.scan(Path.of("src", "main", "java"));
        assertThat(graph.packages()).as("packages found").contains("io.github.tokenprepending",
                "io.github.tokenprepending.spi", "io.github.tokenprepending.prompt");
        assertThat(graph.cycle()).as("package cycle in tp-core").isEmpty();
    }

    @Test
    void findsAPlantedCycleAndNamesTheImportsThatMakeIt(@TempDir Path dir) throws IOException {
        write(dir, "a/A.java", "package a;\n\nimport b.B;\n\nclass A { B b; }\n");
        write(dir, "b/B.java", "package b;\n\n// c.C in a comment is no dependency\nclass B { c.C c; String s = \"a.A\"; }\n");
        write(dir, "c/C.java", "package c;\n\nimport static a.A.helper;\n\nclass C { }\n");
        write(dir, "d/D.java", "package d;\n\nimport a.A;\nimport java.util.List;\n\nclass D { }\n");

        Optional<String> cycle = PackageGraph.scan(dir).cycle();

        assertThat(cycle).hasValueSatisfying(message -> assertThat(message)
                .startsWith("a -> b -> c -> a")
                .contains("a -> b: a/A.java: import b.B")
                .contains("b -> c: b/B.java: c.C")
                .contains("c -> a: c/C.java: import a.A.helper")
                .doesNotContain("d/D.java"));
    }

    @Test
    void acyclicPackagesPass(@TempDir Path dir) throws IOException {
        write(dir, "a/A.java", "package a;\n\nimport b.B;\n\nclass A { }\n");
        write(dir, "b/B.java", "package b;\n\n/** {@link a.A} in javadoc is no dependency */\nclass B { }\n");

        assertThat(PackageGraph.scan(dir).cycle()).isEmpty();
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Package -> package -> the first reference that makes that edge ("File.java: import x.Y"). */
    private record PackageGraph(Map<String, Map<String, String>> edges) {

        static PackageGraph scan(Path root) {
            Map<String, Map<String, String>> edges = new TreeMap<>();
            Map<String, List<String[]>> references = new TreeMap<>();
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    String text = Files.readString(file);
                    Matcher p = PACKAGE.matcher(text);
                    String pkg = p.find() ? p.group(1) : "";
                    String where = root.relativize(file).toString().replace('\\', '/');
                    edges.putIfAbsent(pkg, new TreeMap<>());
                    List<String[]> refs = references.computeIfAbsent(pkg, k -> new ArrayList<>());
                    Matcher imports = IMPORT.matcher(text);
                    while (imports.find()) {
                        refs.add(new String[] {packageOf(imports.group(1)), where + ": import " + imports.group(1)});
                    }
                    Matcher qualified = QUALIFIED.matcher(code(text));
                    while (qualified.find()) {
                        refs.add(new String[] {packageOf(qualified.group(1)), where + ": " + qualified.group(1)});
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            references.forEach((from, refs) -> refs.stream()
                    .filter(r -> edges.containsKey(r[0]) && !r[0].equals(from))
                    .forEach(r -> edges.get(from).putIfAbsent(r[0], r[1])));
            return new PackageGraph(edges);
        }

        List<String> packages() {
            return List.copyOf(edges.keySet());
        }

        /** @return the first cycle found, as "a -> b -> a" and one line per edge naming its reference */
        Optional<String> cycle() {
            Map<String, Integer> state = new TreeMap<>(); // 1: on the current path, 2: done
            for (String start : edges.keySet()) {
                List<String> path = new ArrayList<>();
                Optional<List<String>> found = visit(start, state, path);
                if (found.isPresent()) {
                    List<String> c = found.get();
                    StringBuilder message = new StringBuilder(String.join(" -> ", c));
                    for (int i = 0; i + 1 < c.size(); i++) {
                        message.append("\n  ").append(c.get(i)).append(" -> ").append(c.get(i + 1)).append(": ")
                                .append(edges.get(c.get(i)).get(c.get(i + 1)));
                    }
                    return Optional.of(message.toString());
                }
            }
            return Optional.empty();
        }

        private Optional<List<String>> visit(String pkg, Map<String, Integer> state, List<String> path) {
            Integer s = state.get(pkg);
            if (s != null && s == 2) {
                return Optional.empty();
            }
            if (s != null) {
                List<String> c = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
                c.add(pkg);
                return Optional.of(c);
            }
            state.put(pkg, 1);
            path.add(pkg);
            for (String next : edges.get(pkg).keySet()) {
                Optional<List<String>> found = visit(next, state, path);
                if (found.isPresent()) {
                    return found;
                }
            }
            path.remove(path.size() - 1);
            state.put(pkg, 2);
            return Optional.empty();
        }

        /** The leading lower-case segments of a qualified name: {@code a.b.C.m} is in package {@code a.b}. */
        private static String packageOf(String name) {
            List<String> segments = new ArrayList<>();
            for (String segment : name.split("\\.")) {
                if (Character.isUpperCase(segment.charAt(0))) {
                    break;
                }
                segments.add(segment);
            }
            return String.join(".", segments);
        }

        /** The source after its package and import lines, with comments and string and char literals blanked. */
        private static String code(String text) {
            String body = text.replaceAll("(?m)^(package|import)\\s[^;]*;", "");
            StringBuilder out = new StringBuilder(body.length());
            int i = 0;
            while (i < body.length()) {
                char ch = body.charAt(i);
                if (body.startsWith("//", i)) {
                    out.append(' ');
                    i = skipTo(body, "\n", i + 2);
                } else if (body.startsWith("/*", i)) {
                    out.append(' ');
                    i = skipTo(body, "*/", i + 2) + 2;
                } else if (body.startsWith("\"\"\"", i)) {
                    out.append(' ');
                    i = skipTo(body, "\"\"\"", i + 3) + 3;
                } else if (ch == '"' || ch == '\'') {
                    out.append(' ');
                    i++;
                    while (i < body.length() && body.charAt(i) != ch) {
                        i += body.charAt(i) == '\\' ? 2 : 1;
                    }
                    i++;
                } else {
                    out.append(ch);
                    i++;
                }
            }
            return out.toString();
        }

        private static int skipTo(String text, String end, int from) {
            int at = text.indexOf(end, from);
            return at < 0 ? text.length() : at;
        }
    }
}
