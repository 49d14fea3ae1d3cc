package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.DjlModelProvider;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.djl.checkpoint.CheckpointException;
import io.github.tokenprepending.spi.ModelOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Broken model directories, end to end through {@code DjlModels.load}, the provider and {@code SentenceEncoder}:
 * each fails with an exception that names the file and the problem, and leaves nothing behind (no native array,
 * no manager, no thread). Safetensors corruption itself (truncation, header lengths, offsets, dtypes, missing
 * tensors and shards) is covered by {@code checkpoint/SafetensorsCorruptionTest} and {@code CheckpointTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoadFailureTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A way to break a stories260K directory. */
    interface Breakage {
        void apply(Path dir) throws IOException;
    }

    @BeforeAll
    void warmUp(@TempDir Path dir) throws IOException {
        // engine, libtorch threads and TorchScript blocks exist from now on: what follows must not add any
        DjlModels.load(ReliabilityAccess.writeStories260k(dir), ModelOptions.defaults()).close();
    }

    static Stream<Arguments> breakages() {
        return Stream.of(
                Arguments.of("unknown model_type", (Breakage) dir -> editJson(dir.resolve("config.json"),
                        c -> c.put("model_type", "mamba")),
                        "config.json", List.of("unsupported model_type 'mamba'")),
                Arguments.of("config.json missing", (Breakage) dir -> Files.delete(dir.resolve("config.json")),
                        "config.json", List.of("not found")),
                Arguments.of("tokenizer.json not JSON", (Breakage) dir -> Files.writeString(
                        dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": [1, 2"),
                        "tokenizer.json", List.of("is not valid JSON")),
                Arguments.of("tokenizer.json cut in half", (Breakage) dir -> {
                    byte[] all = Files.readAllBytes(dir.resolve("tokenizer.json"));
                    Files.write(dir.resolve("tokenizer.json"), Arrays.copyOf(all, all.length / 2));
                }, "tokenizer.json", List.of("is not valid JSON")),
                Arguments.of("tokenizer.json rejected by the tokenizers library", (Breakage) dir -> editJson(
                        dir.resolve("tokenizer.json"), t -> ((ObjectNode) t.get("model")).put("type", "NoSuchModel")),
                        "tokenizer.json", List.of("is rejected by the tokenizers library")),
                Arguments.of("tokenizer.json missing", (Breakage) dir -> Files.delete(dir.resolve("tokenizer.json")),
                        "tokenizer.json", List.of("not found")),
                Arguments.of("weight with the wrong shape", (Breakage) dir -> reshape(dir.resolve("model.safetensors"),
                        "model.layers.3.mlp.down_proj.weight", 172, 64),
                        "model.safetensors", List.of("tensor model.layers.3.mlp.down_proj.weight has shape [172, 64],"
                                + " expected [64, 172]")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breakages")
    void aBrokenDirectoryFailsNamingTheFileAndLeavesNothingBehind(String name, Breakage breakage, String file,
            List<String> problem, @TempDir Path tmp) throws Exception {
        Path dir = ReliabilityAccess.writeStories260k(tmp);
        breakage.apply(dir);
        String path = dir.resolve(file).toString();
        NDManager system = Fixtures.systemManager();
        int managers = Fixtures.directResources(system);
        int arrays = Fixtures.liveArrays(system);
        int threads = Fixtures.threads();
        for (int attempt = 0; attempt < 5; attempt++) {
            Throwable direct = catchThrowable(() -> DjlModels.load(dir, ModelOptions.defaults()));
            assertThat(direct).as(name).isInstanceOfAny(IOException.class, IllegalArgumentException.class)
                    .hasMessageContaining(path);
            problem.forEach(p -> assertThat(direct).hasMessageContaining(p));
            if (file.equals("config.json") || file.equals("model.safetensors")) {
                assertThat(direct).isInstanceOf(CheckpointException.class);
            }
            if (name.equals("tokenizer.json missing")) {
                assertThat(direct).isInstanceOf(NoSuchFileException.class);
            }

            Throwable provider = catchThrowable(() -> new DjlModelProvider().load(dir, ModelOptions.defaults()));
            assertThat(provider).isInstanceOf(direct.getClass()).hasMessage(direct.getMessage());

            Throwable built = catchThrowable(() -> SentenceEncoder.builder().model(dir)
                    .provider(new DjlModelProvider()).build());
            assertThat(built).isInstanceOfAny(UncheckedIOException.class, IllegalArgumentException.class)
                    .hasMessageContaining(path);
            problem.forEach(p -> assertThat(built).hasMessageContaining(p));
        }
        assertThat(Fixtures.directResources(system)).as("%s: every manager created was closed", name)
                .isEqualTo(managers);
        assertThat(Fixtures.liveArrays(system)).as("%s: no array left", name).isEqualTo(arrays);
        assertThat(Fixtures.threads()).as("%s: no thread left", name).isLessThanOrEqualTo(threads);
    }

    private static void editJson(Path file, java.util.function.Consumer<ObjectNode> edit) throws IOException {
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        edit.accept(root);
        Files.write(file, JSON.writeValueAsBytes(root));
    }

    /** Rewrites a safetensors header so that one tensor claims another shape of the same size. */
    private static void reshape(Path file, String tensor, long... shape) throws IOException {
        byte[] all = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectNode header = (ObjectNode) JSON.readTree(Arrays.copyOfRange(all, 8, 8 + (int) headerLength));
        ArrayNode dims = ((ObjectNode) header.get(tensor)).putArray("shape");
        for (long d : shape) {
            dims.add(d);
        }
        StringBuilder text = new StringBuilder(JSON.writeValueAsString(header));
        while (text.length() % 8 != 0) {
            text.append(' ');
        }
        byte[] newHeader = text.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + newHeader.length + all.length - 8 - (int) headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(newHeader.length).put(newHeader).put(all, 8 + (int) headerLength,
                all.length - 8 - (int) headerLength);
        Files.write(file, out.array());
    }
}
