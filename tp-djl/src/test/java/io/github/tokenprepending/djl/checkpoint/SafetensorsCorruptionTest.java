package io.github.tokenprepending.djl.checkpoint;

import static io.github.tokenprepending.djl.checkpoint.TestFiles.f32;
import static io.github.tokenprepending.djl.checkpoint.TestFiles.safetensors;
import static io.github.tokenprepending.djl.checkpoint.TestFiles.withHeaderLength;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Corrupt safetensors files, written byte by byte: each must fail with a {@link CheckpointException} naming the
 * file and the problem, after allocating at most a few MB.
 */
class SafetensorsCorruptionTest {

    private static final long MAX_ALLOCATED = 4L << 20;

    @TempDir
    Path dir;

    @BeforeAll
    static void warmUp() throws IOException {
        // load the parser's classes once so that their one-time allocations are not counted
        try (SafetensorsFile f = SafetensorsFile.open(TestFiles.resource("mixed/model.safetensors"))) {
            assertThat(f.names()).isNotEmpty();
        }
    }

    /** Writes the bytes, opens them, and checks the failure and the allocation. */
    private void assertRejected(byte[] bytes, String... problem) throws IOException {
        Path file = TestFiles.write(dir.resolve("model.safetensors"), bytes);
        long allocated = TestFiles.allocatedBy(() -> SafetensorsFile.open(file).close());
        assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageContainingAll(problem)
                .satisfies(e -> assertThat(((CheckpointException) e).file()).isEqualTo(file));
        assertThat(allocated).as("bytes allocated while rejecting the file").isLessThan(MAX_ALLOCATED);
    }

    private void assertHeaderRejected(String headerJson, byte[] data, String... problem) throws IOException {
        assertRejected(safetensors(headerJson, data), problem);
    }

    private static String entry(String name, String dtype, String shape, long begin, long end) {
        return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin
                + "," + end + "]}";
    }

    @Test
    void emptyFile() throws IOException {
        assertRejected(new byte[0], "truncated", "0 bytes");
    }

    @Test
    void shorterThanTheHeaderLength() throws IOException {
        assertRejected(new byte[] {16, 0, 0, 0, 0}, "truncated", "5 bytes");
    }

    @Test
    void headerLongerThanTheFile() throws IOException {
        assertRejected(withHeaderLength(1000, "{}".getBytes(StandardCharsets.US_ASCII)),
                "header length 1000 exceeds the file size (10 bytes)");
    }

    @Test
    void headerLengthTwoToTheSixty() throws IOException {
        assertRejected(withHeaderLength(1L << 60, "{}".getBytes(StandardCharsets.US_ASCII)),
                "header length 1152921504606846976 exceeds the file size");
    }

    @Test
    void headerLengthWithTheTopBitSet() throws IOException {
        assertRejected(withHeaderLength(-1L, "{}".getBytes(StandardCharsets.US_ASCII)),
                "header length 18446744073709551615 exceeds the file size");
    }

    @Test
    void headerNotJson() throws IOException {
        assertHeaderRejected("this is not JSON", new byte[0], "header is not valid JSON");
    }

    @Test
    void headerCutInTheMiddle() throws IOException {
        assertHeaderRejected("{\"a\":{\"dtype\":\"F32\",\"sha", new byte[0], "header is not valid JSON");
    }

    @Test
    void headerOfLengthZero() throws IOException {
        assertRejected(withHeaderLength(0, new byte[0]), "header is not a JSON object");
    }

    @Test
    void headerNotAnObject() throws IOException {
        assertHeaderRejected("[1, 2, 3]", new byte[0], "header is not a JSON object");
    }

    @Test
    void dataAfterTheHeaderObject() throws IOException {
        assertHeaderRejected("{} {}", new byte[0], "unexpected data after the header");
    }

    @Test
    void entryNotAnObject() throws IOException {
        assertHeaderRejected("{\"w\": [1, 2]}", new byte[0], "header entry 'w' is not a JSON object");
    }

    @Test
    void unknownDtype() throws IOException {
        assertHeaderRejected("{" + entry("w", "F12", "[2]", 0, 8) + "}", new byte[8],
                "tensor 'w'", "unknown or unsupported dtype 'F12'");
    }

    @Test
    void missingDtype() throws IOException {
        assertHeaderRejected("{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8],
                "tensor 'w' has no string 'dtype'");
    }

    @Test
    void byteLengthDisagreesWithTheShape() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[2,3]", 0, 20) + "}", new byte[24],
                "tensor 'w' has 20 bytes", "shape [2, 3] of F32 needs 24");
    }

    @Test
    void offsetsPastTheData() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[4]", 8, 24) + "}", new byte[16],
                "tensor 'w' ends at byte 24 of the data area, which holds only 16 bytes",
                "truncated or the offsets are out of range");
    }

    @Test
    void offsetsThatEndBeforeTheyBegin() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[0]", 8, 4) + "}", new byte[8],
                "tensor 'w' has data_offsets [8, 4] that end before they begin");
    }

    @Test
    void overlappingTensors() throws IOException {
        assertHeaderRejected("{" + entry("a", "F32", "[4]", 0, 16) + "," + entry("b", "F32", "[2]", 8, 16) + "}",
                new byte[16], "tensors 'a' [0, 16) and 'b' [8, 16) overlap");
    }

    @Test
    void negativeShape() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[-2,-2]", 0, 16) + "}", new byte[16],
                "tensor 'w' field 'shape' has a negative number");
    }

    @Test
    void negativeOffset() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[1]", -4, 0) + "}", new byte[16],
                "tensor 'w' field 'data_offsets' has a negative number");
    }

    @Test
    void offsetsThatAreNotIntegers() throws IOException {
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4.5]}}", new byte[8],
                "tensor 'w' field 'data_offsets' must hold integers");
    }

    @Test
    void numbersBeyondSixtyFourBits() throws IOException {
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,"
                + "1180591620717411303424]}}", new byte[8], "tensor 'w' field 'data_offsets' must hold integers");
    }

    @Test
    void threeOffsets() throws IOException {
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", new byte[8],
                "tensor 'w' field 'data_offsets' must have 2 elements");
    }

    @Test
    void shapeWhoseSizeOverflows() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[4294967296,4294967296]", 0, 16) + "}", new byte[16],
                "tensor 'w' has shape [4294967296, 4294967296] whose size overflows");
    }

    @Test
    void hugeShapeClaimingTheWholeAddressSpace() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[1073741824,1073741824]", 0, 4611686018427387904L) + "}",
                new byte[16], "tensor 'w' ends at byte 4611686018427387904");
    }

    @Test
    void duplicateTensorNames() throws IOException {
        assertHeaderRejected("{" + entry("w", "F32", "[1]", 0, 4) + "," + entry("w", "F32", "[1]", 4, 8) + "}",
                f32(1, 2), "duplicate entry 'w' in the header");
    }

    @Test
    void duplicateFieldInsideAnEntry() throws IOException {
        assertHeaderRejected("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                f32(1), "header entry 'w' has a duplicate 'dtype'");
    }

    @Test
    void metadataThatIsNotAStringMap() throws IOException {
        assertHeaderRejected("{\"__metadata__\":{\"format\":3}}", new byte[0],
                "__metadata__ value 'format' is not a string");
    }

    @Test
    void realFileCutShort() throws IOException {
        byte[] whole = Files.readAllBytes(TestFiles.model("llama").resolve("model.safetensors"));
        // the last tensor in the data area of this file is model.norm.weight, 256 bytes
        assertRejected(Arrays.copyOf(whole, whole.length - 100), "tensor 'model.norm.weight' ends at byte",
                "the file is truncated");
    }

    @Test
    void realFileCutInsideItsHeader() throws IOException {
        byte[] whole = Files.readAllBytes(TestFiles.model("llama").resolve("model.safetensors"));
        assertRejected(Arrays.copyOf(whole, 1000), "header length 4000 exceeds the file size (1000 bytes)");
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.safetensors");
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": cannot open");
    }
}
