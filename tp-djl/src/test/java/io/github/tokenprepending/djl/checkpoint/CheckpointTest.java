package io.github.tokenprepending.djl.checkpoint;

import static io.github.tokenprepending.djl.checkpoint.TestFiles.f32;
import static io.github.tokenprepending.djl.checkpoint.TestFiles.safetensors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    @Test
    void singleFileCheckpoint() throws IOException {
        Path family = TestFiles.model("llama");
        try (Checkpoint ckpt = Checkpoint.open(family)) {
            assertThat(ckpt.source()).isEqualTo(family.resolve("model.safetensors"));
            assertThat(ckpt.names()).hasSize(39).startsWith("lm_head.weight", "model.embed_tokens.weight");
            assertThat(ckpt.contains("model.layers.3.mlp.up_proj.weight")).isTrue();
            Tensor up = ckpt.require("model.layers.3.mlp.up_proj.weight", 128, 64);
            assertThat(up.file()).isEqualTo(ckpt.source());
            // from make_reference.py (llama/tensors.tsv)
            assertThat(ckpt.require("model.norm.weight", 64).toF32Array()[0]).isEqualTo(0.9391655921936035f);
        }
    }

    @Test
    void tiedGemma2HasNoLmHead() throws IOException {
        try (Checkpoint ckpt = Checkpoint.open(TestFiles.model("gemma2"))) {
            assertThat(ckpt.contains("lm_head.weight")).isFalse();
            assertThat(ckpt.find("lm_head.weight")).isEmpty();
            assertThat(ckpt.require("model.layers.5.post_feedforward_layernorm.weight", 64).dtype())
                    .isEqualTo(TensorDtype.F32);
        }
    }

    @Test
    void missingTensorNamesTheTensorAndTheFile() throws IOException {
        Path family = TestFiles.model("llama");
        try (Checkpoint ckpt = Checkpoint.open(family)) {
            assertThatThrownBy(() -> ckpt.require("model.layers.4.mlp.up_proj.weight", 128, 64))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessage(family.resolve("model.safetensors")
                            + ": tensor model.layers.4.mlp.up_proj.weight not found");
            assertThatThrownBy(() -> ckpt.tensor("layers.0.mlp.up_proj.weight"))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessageEndingWith("not found (the checkpoint has model.layers.0.mlp.up_proj.weight)");
        }
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        Path family = TestFiles.model("llama3");
        try (Checkpoint ckpt = Checkpoint.open(family)) {
            assertThatThrownBy(() -> ckpt.require("model.layers.0.self_attn.k_proj.weight", 64, 64))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessage(family.resolve("model.safetensors") + ": tensor model.layers.0.self_attn.k_proj.weight"
                            + " has shape [32, 64], expected [64, 64]");
        }
    }

    @Test
    void wrongDtypeIsNamed() throws IOException {
        Path file = Files.copy(TestFiles.resource("mixed/model.safetensors"), dir.resolve("model.safetensors"));
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertThat(ckpt.require("f16", 2, 4).dtype()).isEqualTo(TensorDtype.F16);
            assertThat(ckpt.require("bf16", 6).dtype()).isEqualTo(TensorDtype.BF16);
            assertThatThrownBy(() -> ckpt.require("ids", 3))
                    .isInstanceOf(CheckpointException.class)
                    .hasMessage(file + ": tensor ids has dtype I64; weights must be F32, F16 or BF16");
            assertThat(ckpt.tensor("ids").dtype()).isEqualTo(TensorDtype.I64);
        }
    }

    /** Two shards written here plus an index; tensors resolve to their own shard. */
    @Test
    void shardedCheckpointResolvesAcrossShards() throws IOException {
        writeShards();
        writeIndex("{\"metadata\":{\"total_size\":28},\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
                + "\"b\":\"model-00001-of-00002.safetensors\",\"c\":\"model-00002-of-00002.safetensors\"}}");
        try (Checkpoint ckpt = Checkpoint.open(dir)) {
            assertThat(ckpt.source()).isEqualTo(dir.resolve("model.safetensors.index.json"));
            assertThat(ckpt.names()).containsExactly("a", "b", "c");
            assertThat(ckpt.require("a", 2).toF32Array()).containsExactly(1f, 2f);
            assertThat(ckpt.require("b", 1).toF32Array()).containsExactly(3f);
            Tensor c = ckpt.require("c", 2, 2);
            assertThat(c.file()).isEqualTo(dir.resolve("model-00002-of-00002.safetensors"));
            assertThat(c.toF32Array()).containsExactly(4f, 5f, 6f, 7f);
            assertThatThrownBy(() -> ckpt.tensor("d")).isInstanceOf(CheckpointException.class)
                    .hasMessage(dir.resolve("model.safetensors.index.json") + ": tensor d not found");
        }
    }

    @Test
    void shardMissingOnDisk() throws IOException {
        writeShards();
        Files.delete(dir.resolve("model-00002-of-00002.safetensors"));
        writeIndex("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
                + "\"c\":\"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve("model.safetensors.index.json") + ": names shard "
                        + "model-00002-of-00002.safetensors, which is missing from " + dir);
    }

    @Test
    void indexMapsATensorToAShardWithoutIt() throws IOException {
        writeShards();
        writeIndex("{\"weight_map\":{\"a\":\"model-00001-of-00002.safetensors\","
                + "\"c\":\"model-00001-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir.resolve("model.safetensors.index.json") + ": maps tensor 'c' to "
                        + dir.resolve("model-00001-of-00002.safetensors") + ", which does not contain it");
    }

    @Test
    void corruptShardNamesTheShard() throws IOException {
        writeShards();
        Path shard = TestFiles.write(dir.resolve("model-00002-of-00002.safetensors"), new byte[3]);
        writeIndex("{\"weight_map\":{\"c\":\"model-00002-of-00002.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(shard + ": truncated");
    }

    @Test
    void indexThatIsNotJsonOrHasNoWeightMap() throws IOException {
        Path index = writeIndex("{\"weight_map\": ");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(index + ": not valid JSON");
        writeIndex("{\"metadata\": {}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(index + ": has no 'weight_map' object naming the shards");
        writeIndex("{\"weight_map\": {\"a\": 3}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(index + ": weight_map value of 'a' is not a file name: 3");
    }

    @Test
    void indexNamingAShardOutsideTheDirectory() throws IOException {
        Path index = writeIndex("{\"weight_map\":{\"a\":\"../elsewhere.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(index + ": names shard '../elsewhere.safetensors' outside " + dir);
    }

    @Test
    void directoryWithoutSafetensors() throws IOException {
        Files.write(dir.resolve("pytorch_model.bin"), new byte[4]);
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessage(dir + ": no model.safetensors or model.safetensors.index.json (found pytorch_model.bin);"
                        + " .bin/.pth/.pt/.gguf weights are not supported: convert them to safetensors");
        Path notADirectory = dir.resolve("pytorch_model.bin");
        assertThatThrownBy(() -> Checkpoint.open(notADirectory)).isInstanceOf(CheckpointException.class)
                .hasMessage(notADirectory + ": not a directory");
    }

    private void writeShards() throws IOException {
        TestFiles.write(dir.resolve("model-00001-of-00002.safetensors"), safetensors(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", f32(1, 2, 3)));
        TestFiles.write(dir.resolve("model-00002-of-00002.safetensors"), safetensors(
                "{\"c\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", f32(4, 5, 6, 7)));
    }

    private Path writeIndex(String json) throws IOException {
        return Files.writeString(dir.resolve("model.safetensors.index.json"), json, StandardCharsets.UTF_8);
    }
}
