package io.github.tokenprepending.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reading real files. Reference numbers come from {@code src/test/resources/checkpoint/make_reference.py}
 * (NumPy over the raw bytes) or from parsing the bytes in the test itself, never from the code under test.
 */
class SafetensorsFileTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama3", "qwen2", "gemma2"})
    void everyTensorMatchesTheNumpyReference(String family) throws IOException {
        List<String[]> expected = TestFiles.tsv(family + "/tensors.tsv");
        try (SafetensorsFile file = SafetensorsFile.open(TestFiles.model(family).resolve("model.safetensors"))) {
            assertThat(file.metadata()).isEqualTo(Map.of("format", "pt"));
            assertThat(file.names()).containsExactlyInAnyOrder(expected.stream().map(r -> r[0]).toArray(String[]::new));
            for (String[] row : expected) {
                Tensor t = file.tensor(row[0]);
                assertThat(t.dtype()).hasToString(row[1]);
                assertThat(t.shape()).containsExactly(Arrays.stream(row[2].split(",")).mapToLong(Long::parseLong)
                        .toArray());
                float[] values = t.toF32Array();
                assertThat(values).hasSize((int) t.info().numel());
                double sum = 0;
                for (float v : values) {
                    sum += v;
                }
                assertThat(sum).as(row[0]).isCloseTo(Double.parseDouble(row[3]), within(1e-9));
                assertThat(values[0]).isEqualTo(Float.parseFloat(row[4]));
                assertThat(values[values.length - 1]).isEqualTo(Float.parseFloat(row[5]));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "llama3", "qwen2", "gemma2"})
    void offsetsAndShapesAreTheHeaders(String family) throws IOException {
        Path path = TestFiles.model(family).resolve("model.safetensors");
        byte[] raw = Files.readAllBytes(path);
        int headerLength = (int) ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        JsonNode header = new ObjectMapper().readTree(Arrays.copyOfRange(raw, 8, 8 + headerLength));
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.tensors()).hasSize(header.size() - 1);
            for (TensorInfo info : file.tensors()) {
                JsonNode entry = header.get(info.name());
                assertThat(info.dtype().name()).isEqualTo(entry.get("dtype").asText());
                assertThat(info.rank()).isEqualTo(entry.get("shape").size());
                for (int i = 0; i < info.rank(); i++) {
                    assertThat(info.dim(i)).isEqualTo(entry.get("shape").get(i).asLong());
                }
                long begin = entry.get("data_offsets").get(0).asLong();
                long end = entry.get("data_offsets").get(1).asLong();
                assertThat(info.offset()).isEqualTo(8 + headerLength + begin);
                assertThat(info.byteLength()).isEqualTo(end - begin);
            }
        }
    }

    @Test
    void firstFloatsReadWithADataInputStream() throws IOException {
        Path path = TestFiles.model("qwen2").resolve("model.safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(path);
                InputStream in = Files.newInputStream(path)) {
            TensorInfo bias = file.tensor("model.layers.0.self_attn.q_proj.bias").info();
            DataInputStream data = new DataInputStream(in);
            data.skipNBytes(bias.offset());
            float[] independent = new float[4];
            for (int i = 0; i < independent.length; i++) {
                independent[i] = Float.intBitsToFloat(Integer.reverseBytes(data.readInt()));
            }
            // the first three also printed by NumPy (make_reference.py style): -0.5168461799621582,
            // 0.25715869665145874, 0.062217600643634796
            assertThat(independent[0]).isEqualTo(-0.5168461799621582f);
            assertThat(independent[1]).isEqualTo(0.25715869665145874f);
            assertThat(independent[2]).isEqualTo(0.062217600643634796f);
            ByteBuffer bytes = file.tensor(bias.name()).bytes();
            assertThat(bytes.isReadOnly()).isTrue();
            assertThat(bytes.order()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.remaining()).isEqualTo(64 * 4);
            for (int i = 0; i < independent.length; i++) {
                assertThat(bytes.getFloat(4 * i)).isEqualTo(independent[i]);
            }
        }
    }

    @Test
    void rowsAndByteRangesAreSlicesOfTheWhole() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(TestFiles.model("llama").resolve("model.safetensors"))) {
            Tensor embed = file.tensor("model.embed_tokens.weight");
            ByteBuffer whole = embed.bytes();
            assertThat(embed.info().rowBytes()).isEqualTo(64 * 4);
            ByteBuffer rows = embed.rows(10, 3);
            assertThat(rows).isEqualTo(whole.duplicate().position(10 * 256).limit(13 * 256).slice());
            ByteBuffer range = embed.bytes(1000, 24);
            assertThat(range).isEqualTo(whole.duplicate().position(1000).limit(1024).slice());
            assertThatThrownBy(() -> embed.rows(299, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> embed.bytes(-1, 4)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> embed.bytes(76800 - 3, 4)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void chunkedConversionIntoOneDirectBufferEqualsTheWholeArray() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(TestFiles.model("gemma2").resolve("model.safetensors"))) {
            Tensor embed = file.tensor("model.embed_tokens.weight");
            float[] whole = embed.toF32Array();
            ByteBuffer chunk = ByteBuffer.allocateDirect(7 * 4);
            float[] pieced = new float[whole.length];
            for (int done = 0; done < whole.length; ) {
                int n = Math.min(7, whole.length - done);
                chunk.clear();
                embed.readF32(done, n, chunk);
                assertThat(chunk.position()).isEqualTo(4 * n);
                chunk.flip();
                chunk.order(ByteOrder.nativeOrder()).asFloatBuffer().get(pieced, done, n);
                done += n;
            }
            assertThat(pieced).containsExactly(whole);
            assertThatThrownBy(() -> embed.readF32(whole.length - 2, 3, ByteBuffer.allocateDirect(12)))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> embed.readF32(0, 4, ByteBuffer.allocateDirect(12)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void mixedDtypesWrittenByNumpy() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(TestFiles.resource("mixed/model.safetensors"))) {
            assertThat(file.metadata()).containsEntry("writer", "make_reference.py");
            assertThat(file.names()).containsExactly("f16", "bf16", "scalar", "empty", "ids", "mask");
            for (String[] row : TestFiles.tsv("mixed/expected.tsv")) {
                Tensor t = file.tensor(row[0]);
                int[] expected = Arrays.stream(row[1].split(",")).mapToInt(h -> Integer.parseUnsignedInt(h, 16))
                        .toArray();
                int[] actual = new int[expected.length];
                float[] values = t.toF32Array();
                for (int i = 0; i < values.length; i++) {
                    actual[i] = Float.floatToRawIntBits(values[i]);
                }
                assertThat(actual).as(row[0]).containsExactly(expected);
            }
            assertThat(file.tensor("f16").shape()).containsExactly(2, 4);
            Tensor scalar = file.tensor("scalar");
            assertThat(scalar.info().rank()).isZero();
            assertThat(scalar.info().numel()).isEqualTo(1);
            assertThat(scalar.toF32Array()).containsExactly(-7.25f);
            assertThatThrownBy(() -> scalar.rows(0, 1)).isInstanceOf(IllegalStateException.class);
            Tensor empty = file.tensor("empty");
            assertThat(empty.info().numel()).isZero();
            assertThat(empty.bytes().remaining()).isZero();
            assertThat(empty.toF32Array()).isEmpty();
            Tensor ids = file.tensor("ids");
            assertThat(ids.dtype()).isEqualTo(TensorDtype.I64);
            ByteBuffer idBytes = ids.bytes();
            assertThat(new long[] {idBytes.getLong(0), idBytes.getLong(8), idBytes.getLong(16)})
                    .containsExactly(-1, 0, 1L << 40);
            assertThatThrownBy(ids::toF32Array).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'ids'").hasMessageContaining("I64");
            assertThat(file.tensor("mask").bytes().get(1)).isEqualTo((byte) 255);
        }
    }

    @Test
    void missingTensorNamesTheFile() throws IOException {
        Path path = TestFiles.resource("mixed/model.safetensors");
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.contains("nope")).isFalse();
            assertThat(file.find("nope")).isEmpty();
            assertThatThrownBy(() -> file.tensor("nope")).isInstanceOf(CheckpointException.class)
                    .hasMessage(path + ": no tensor 'nope'");
        }
    }

    @Test
    void noNewBuffersAfterClose() throws IOException {
        SafetensorsFile file = SafetensorsFile.open(TestFiles.resource("mixed/model.safetensors"));
        ByteBuffer before = file.tensor("scalar").bytes();
        file.close();
        assertThat(before.getFloat(0)).isEqualTo(-7.25f);
        assertThatThrownBy(() -> file.tensor("scalar").bytes()).isInstanceOf(IllegalStateException.class);
    }

    /**
     * A 6 GiB BF16 tensor of 1 GiB rows in a sparse file (no disk used): whole-buffer access is refused, rows and
     * elements past 4 GiB are readable.
     */
    @Test
    void tensorOverTwoGibibytesIsReadInPieces() throws IOException {
        long rows = 6;
        long cols = 1L << 29;
        String header = "{\"big\":{\"dtype\":\"BF16\",\"shape\":[" + rows + "," + cols + "],\"data_offsets\":[0,"
                + rows * cols * 2 + "]}}";
        byte[] start = TestFiles.safetensors(header, new byte[0]);
        Path path = dir.resolve("big.safetensors");
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(start));
            // the last element: bf16 0x3FC0 = 1.5, little-endian
            channel.write(ByteBuffer.wrap(new byte[] {(byte) 0xC0, 0x3F}), start.length + rows * cols * 2 - 2);
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            Tensor big = file.tensor("big");
            assertThat(big.info().byteLength()).isEqualTo(6L << 30);
            assertThatThrownBy(big::bytes).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("read it with bytes(offset, length) or rows(first, count)");
            assertThatThrownBy(big::toF32Array).isInstanceOf(IllegalStateException.class);
            ByteBuffer lastRow = big.rows(rows - 1, 1);
            assertThatThrownBy(() -> big.rows(0, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThat(lastRow.remaining()).isEqualTo((int) (cols * 2));
            assertThat(lastRow.getShort((int) (cols * 2 - 2))).isEqualTo((short) 0x3FC0);
            ByteBuffer out = ByteBuffer.allocateDirect(8);
            big.readF32(rows * cols - 2, 2, out);
            out.flip();
            assertThat(out.order(ByteOrder.nativeOrder()).getFloat(0)).isZero();
            assertThat(out.getFloat(4)).isEqualTo(1.5f);
        }
    }
}
