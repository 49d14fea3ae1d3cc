package io.github.tokenprepending.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tp embed} with the bundled toy model (hidden size 64). */
class EmbedCommandTest {
    private static final int DIMENSION = 64;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Empty lines, a duplicate, non-ASCII text, and a last line without a line break. */
    private static final String INPUT = "A man is playing a guitar.\n\nA woman is slicing an onion.\r\n"
            + "A man is playing a guitar.\nÜber den Wolken ✈\n   \nlast line without newline";
    private static final List<String> LINES = List.of("A man is playing a guitar.", "",
            "A woman is slicing an onion.", "A man is playing a guitar.", "Über den Wolken ✈", "   ",
            "last line without newline");

    @TempDir
    Path dir;

    @Test
    void fileGivesOneJsonLinePerInputLineInOrder() throws IOException {
        Path input = write("in.txt", INPUT);

        Cli.Result r = Cli.run("embed", input.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertJsonLines(r.out(), LINES);
    }

    @Test
    void stdinGivesTheSameAsAFile() throws IOException {
        Path input = write("in.txt", INPUT);
        Cli.Result fromFile = Cli.run("embed", input.toString());

        Cli.Result fromStdin = Cli.runWithInput(INPUT, "embed");

        assertThat(fromStdin.exitCode()).as(fromStdin.toString()).isZero();
        assertJsonLines(fromStdin.out(), LINES);
        assertThat(vectors(fromStdin.out())).zipSatisfy(vectors(fromFile.out()),
                (a, b) -> assertThat(a).containsExactly(b, org.assertj.core.data.Offset.offset(1e-6f)));
    }

    @Test
    void equalTextGivesEqualVectors() {
        Cli.Result r = Cli.runWithInput(INPUT, "embed");

        List<float[]> v = vectors(r.out());
        // rows of one batch may take different kernel paths across libtorch's threads: equal within the batched-vs-alone bound
        assertThat(v.get(3)).containsExactly(v.get(0), org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(v.get(0)).isNotEqualTo(v.get(2));
    }

    @Test
    void npyOutputIsAValidFloat32ArrayWrittenAtomically() throws IOException {
        Path input = write("in.txt", INPUT);
        Path npy = dir.resolve("out.npy");
        List<float[]> expected = vectors(Cli.run("embed", input.toString()).out());

        Cli.Result r = Cli.run("embed", input.toString(), "--output", npy.toString());

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("7 embeddings of dimension 64 written to " + npy);
        assertThat(listDir()).containsExactlyInAnyOrder("in.txt", "out.npy");
        List<float[]> rows = readNpy(npy);
        assertThat(rows).hasSize(LINES.size());
        assertThat(rows).zipSatisfy(expected,
                (a, b) -> assertThat(a).containsExactly(b, org.assertj.core.data.Offset.offset(1e-6f)));
    }

    @Test
    void formatOptionWinsOverTheFileName() throws IOException {
        Path input = write("in.txt", "one\ntwo\n");
        Path out = dir.resolve("vectors.npy");

        Cli.Result r = Cli.run("embed", input.toString(), "-o", out.toString(), "--format", "jsonl");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertJsonLines(Files.readString(out), List.of("one", "two"));
    }

    @Test
    void invalidUtf8FailsNamingFileAndLineAndWritesNothing() throws IOException {
        Path input = dir.resolve("bad.txt");
        byte[] bytes = "fine\nalso fine\nbroken \u0000 here\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 8] = (byte) 0xC3; // a lead byte followed by ASCII: malformed, on line 3
        Files.write(input, bytes);
        Path npy = dir.resolve("out.npy");

        Cli.Result r = Cli.run("embed", input.toString(), "--output", npy.toString());

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(input.toString()).contains("line 3").contains("not valid UTF-8");
        assertThat(npy).doesNotExist();
        assertThat(listDir()).containsExactly("bad.txt");
    }

    @Test
    void aFailedRunLeavesAnExistingOutputUntouched() throws IOException {
        Path input = dir.resolve("bad.txt");
        Files.write(input, new byte[] {'o', 'k', '\n', (byte) 0xFF, '\n'});
        Path out = write("out.jsonl", "previous content\n");

        Cli.Result r = Cli.run("embed", input.toString(), "-o", out.toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 2");
        assertThat(out).hasContent("previous content");
        assertThat(listDir()).containsExactlyInAnyOrder("bad.txt", "out.jsonl");
    }

    @Test
    void emptyInputGivesNoLines() {
        Cli.Result r = Cli.runWithInput("", "embed");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownFormatIsAUsageError() {
        Cli.Result r = Cli.runWithInput("x\n", "embed", "--format", "csv");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown --format 'csv'").contains("tp embed --help");
    }

    @Test
    void missingInputFileFails() {
        Cli.Result r = Cli.run("embed", dir.resolve("absent.txt").toString());

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no such file").contains("absent.txt");
    }

    /** Checks one JSON object per line: index, text and a 64-dimensional embedding, in input order. */
    static void assertJsonLines(String out, List<String> texts) {
        String[] lines = out.split("\n", -1);
        assertThat(lines).hasSize(texts.size() + 1);
        assertThat(lines[texts.size()]).isEmpty(); // the output ends with a line break
        for (int i = 0; i < texts.size(); i++) {
            JsonNode node = parse(lines[i]);
            assertThat(node.get("index").asInt()).isEqualTo(i);
            assertThat(node.get("text").asText()).isEqualTo(texts.get(i));
            assertThat(node.get("embedding").isArray()).isTrue();
            assertThat(node.get("embedding")).hasSize(DIMENSION);
            node.get("embedding").forEach(v -> assertThat(v.isNumber()).isTrue());
        }
    }

    /** @return the embeddings of JSON Lines output */
    static List<float[]> vectors(String out) {
        List<float[]> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            JsonNode embedding = parse(line).get("embedding");
            float[] v = new float[embedding.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = embedding.get(i).floatValue();
            }
            result.add(v);
        }
        return result;
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    /** Parses a .npy file (format 1.0), checking magic, header and size; returns the rows. */
    private static List<float[]> readNpy(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        b.get(magic);
        assertThat(magic).containsExactly((byte) 0x93, 'N', 'U', 'M', 'P', 'Y');
        assertThat(b.get()).as("major version").isEqualTo((byte) 1);
        assertThat(b.get()).as("minor version").isEqualTo((byte) 0);
        int headerLength = Short.toUnsignedInt(b.getShort());
        assertThat((10 + headerLength) % 64).as("data aligned to 64 bytes").isZero();
        byte[] headerBytes = new byte[headerLength];
        b.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.US_ASCII);
        assertThat(header).endsWith("\n").contains("'descr': '<f4'").contains("'fortran_order': False");
        Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
        assertThat(shape.find()).as(header).isTrue();
        int rows = Integer.parseInt(shape.group(1));
        int columns = Integer.parseInt(shape.group(2));
        assertThat(columns).isEqualTo(DIMENSION);
        assertThat(b.remaining()).isEqualTo(rows * columns * Float.BYTES);
        List<float[]> result = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            float[] row = new float[columns];
            b.asFloatBuffer().get(row);
            b.position(b.position() + columns * Float.BYTES);
            result.add(row);
        }
        return result;
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<String> listDir() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
