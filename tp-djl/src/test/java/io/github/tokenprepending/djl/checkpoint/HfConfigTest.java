package io.github.tokenprepending.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real configs' expected values are read off the files by eye (see the README of the golden models). */
class HfConfigTest {

    @TempDir
    Path dir;

    @Test
    void llama() throws IOException {
        HfConfig c = HfConfig.read(TestFiles.model("llama"));
        assertThat(c.path()).isEqualTo(TestFiles.model("llama").resolve("config.json"));
        assertThat(c.modelType()).isEqualTo("llama");
        assertThat(c.hiddenSize()).isEqualTo(64);
        assertThat(c.numHiddenLayers()).isEqualTo(4);
        assertThat(c.numAttentionHeads()).isEqualTo(4);
        assertThat(c.numKeyValueHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(16);
        assertThat(c.intermediateSize()).isEqualTo(128);
        assertThat(c.vocabSize()).isEqualTo(300);
        assertThat(c.rmsNormEps()).isEqualTo(1e-5);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.ropeScaling()).isEmpty();
        assertThat(c.maxPositionEmbeddings(2048)).isEqualTo(256);
        assertThat(c.tieWordEmbeddings(true)).isFalse();
        assertThat(c.optBoolean("attention_bias", false)).isFalse();
        assertThat(c.optBoolean("mlp_bias", false)).isFalse();
        assertThat(c.hiddenAct()).contains("silu");
        assertThat(c.optString("hidden_activation")).isEmpty();
        assertThat(c.torchDtype()).contains("float32");
        assertThat(c.bosTokenId()).hasValue(1);
        assertThat(c.eosTokenIds()).containsExactly(2);
        assertThat(c.padTokenId()).hasValue(0);
        assertThat(c.optInt("sliding_window")).isEmpty();
        assertThat(c.optInt("pretraining_tp", 9)).isEqualTo(1);
        assertThat(c.optDouble("initializer_range", 0)).isEqualTo(0.02);
        assertThat(c.json().get("architectures").get(0).asText()).isEqualTo("LlamaForCausalLM");
    }

    @Test
    void llama3RopeScaling() throws IOException {
        HfConfig c = HfConfig.read(TestFiles.model("llama3").resolve("config.json"));
        assertThat(c.numKeyValueHeads()).isEqualTo(2);
        assertThat(c.ropeTheta()).isEqualTo(500000.0);
        assertThat(c.ropeScaling()).contains(new RopeScaling("llama3", OptionalDouble.of(8.0), OptionalDouble.of(1.0),
                OptionalDouble.of(4.0), OptionalInt.of(64)));
    }

    @Test
    void qwen2() throws IOException {
        HfConfig c = HfConfig.read(TestFiles.model("qwen2"));
        assertThat(c.modelType()).isEqualTo("qwen2");
        assertThat(c.numHiddenLayers()).isEqualTo(5);
        assertThat(c.numKeyValueHeads()).isEqualTo(2);
        assertThat(c.headDim()).isEqualTo(16);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.ropeTheta()).isEqualTo(1e6);
        assertThat(c.has("attention_bias")).isFalse();
        assertThat(c.bosTokenId()).isEmpty();
        assertThat(c.eosTokenIds()).containsExactly(2);
        assertThat(c.optInt("sliding_window")).isEmpty();
        assertThat(c.optBoolean("use_sliding_window", false)).isFalse();
        assertThat(c.optInt("max_window_layers", 0)).isEqualTo(5);
        assertThat(c.tieWordEmbeddings(true)).isFalse();
    }

    @Test
    void gemma2() throws IOException {
        HfConfig c = HfConfig.read(TestFiles.model("gemma2"));
        assertThat(c.modelType()).isEqualTo("gemma2");
        assertThat(c.numHiddenLayers()).isEqualTo(6);
        assertThat(c.headDim()).isEqualTo(32);
        assertThat(c.hiddenSize() / c.numAttentionHeads()).isEqualTo(16);
        assertThat(c.optDouble("query_pre_attn_scalar")).hasValue(24);
        assertThat(c.optDouble("attn_logit_softcapping")).hasValue(50.0);
        assertThat(c.optDouble("final_logit_softcapping")).hasValue(30.0);
        assertThat(c.optInt("sliding_window")).hasValue(8);
        assertThat(c.optString("hidden_activation")).contains("gelu_pytorch_tanh");
        assertThat(c.hiddenAct()).isEmpty();
        assertThat(c.tieWordEmbeddings(false)).isTrue();
        assertThat(c.bosTokenId()).hasValue(2);
        assertThat(c.eosTokenIds()).containsExactly(1);
        assertThat(c.optString("cache_implementation")).contains("hybrid");
    }

    @Test
    void stories260K() throws IOException {
        HfConfig c = HfConfig.read(TestFiles.resource("stories260K"));
        assertThat(c.numAttentionHeads()).isEqualTo(8);
        assertThat(c.numKeyValueHeads()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(8);
        assertThat(c.intermediateSize()).isEqualTo(172);
        assertThat(c.vocabSize()).isEqualTo(512);
        assertThat(c.maxPositionEmbeddings(2048)).isEqualTo(512);
        assertThat(c.tieWordEmbeddings(false)).isTrue();
        assertThat(c.padTokenId()).isEmpty();
    }

    @Test
    void defaultsWhenFieldsAreAbsent() throws IOException {
        HfConfig c = config("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8}");
        assertThat(c.numKeyValueHeads()).isEqualTo(8);
        assertThat(c.headDim()).isEqualTo(8);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.ropeTheta()).isEqualTo(10000.0);
        assertThat(c.ropeScaling()).isEmpty();
        assertThat(c.maxPositionEmbeddings(2048)).isEqualTo(2048);
        assertThat(c.tieWordEmbeddings(true)).isTrue();
        assertThat(c.tieWordEmbeddings(false)).isFalse();
        assertThat(c.torchDtype()).isEmpty();
        assertThat(c.eosTokenIds()).isEmpty();
        assertThat(c.optDouble("attn_logit_softcapping")).isEmpty();
    }

    @Test
    void eosAsAList() throws IOException {
        assertThat(config("{\"eos_token_id\":[128001,128008,128009]}").eosTokenIds())
                .containsExactly(128001, 128008, 128009);
        assertThat(config("{\"eos_token_id\":null}").eosTokenIds()).isEmpty();
    }

    @Test
    void newerTransformersSpellings() throws IOException {
        HfConfig c = config("{\"dtype\":\"bfloat16\",\"rope_parameters\":{\"rope_type\":\"default\","
                + "\"rope_theta\":500000.0}}");
        assertThat(c.torchDtype()).contains("bfloat16");
        assertThat(c.ropeTheta()).isEqualTo(500000.0);
        assertThat(c.ropeScaling()).isEmpty();
        HfConfig legacy = config("{\"rope_scaling\":{\"type\":\"linear\",\"factor\":2}}");
        assertThat(legacy.ropeScaling()).contains(new RopeScaling("linear", OptionalDouble.of(2),
                OptionalDouble.empty(), OptionalDouble.empty(), OptionalInt.empty()));
    }

    @Test
    void pythonNonNumericLiteralsAreAccepted() throws IOException {
        HfConfig c = config("{\"x\": NaN, \"y\": Infinity}");
        assertThat(c.optDouble("x", 0)).isNaN();
        assertThat(c.optDouble("y", 0)).isInfinite();
    }

    @Test
    void wrongTypesNameTheFileAndTheField() throws IOException {
        Path file = write("{\"num_hidden_layers\":\"x\",\"hidden_size\":-64,\"num_attention_heads\":4.5,"
                + "\"tie_word_embeddings\":\"yes\",\"rope_theta\":\"big\",\"model_type\":7,\"eos_token_id\":[1,\"2\"],"
                + "\"rms_norm_eps\":0,\"rope_scaling\":\"llama3\",\"vocab_size\":4294967296}");
        HfConfig c = HfConfig.read(file);
        assertThatThrownBy(c::numHiddenLayers).isInstanceOf(CheckpointException.class)
                .hasMessage(file + ": 'num_hidden_layers' must be a positive integer, got \"x\"");
        assertThatThrownBy(c::hiddenSize).hasMessage(file + ": 'hidden_size' must be a positive integer, got -64");
        assertThatThrownBy(c::numAttentionHeads)
                .hasMessage(file + ": 'num_attention_heads' must be a positive integer, got 4.5");
        assertThatThrownBy(c::vocabSize)
                .hasMessage(file + ": 'vocab_size' must be a positive integer, got 4294967296");
        assertThatThrownBy(() -> c.tieWordEmbeddings(false))
                .hasMessage(file + ": 'tie_word_embeddings' must be true or false, got \"yes\"");
        assertThatThrownBy(c::ropeTheta).hasMessage(file + ": 'rope_theta' must be a positive number, got \"big\"");
        assertThatThrownBy(c::rmsNormEps).hasMessage(file + ": 'rms_norm_eps' must be a positive number, got 0");
        assertThatThrownBy(c::modelType).hasMessage(file + ": 'model_type' must be a string, got 7");
        assertThatThrownBy(c::eosTokenIds)
                .hasMessage(file + ": 'eos_token_id' must be an integer or a list of integers, got [1,\"2\"]");
        assertThatThrownBy(c::ropeScaling)
                .hasMessage(file + ": 'rope_scaling' must be an object or null, got \"llama3\"");
    }

    @Test
    void missingAndInconsistentFields() throws IOException {
        Path file = write("{\"hidden_size\":60,\"num_attention_heads\":8,\"num_key_value_heads\":3,"
                + "\"rope_scaling\":{\"factor\":8.0},\"intermediate_size\":null}");
        HfConfig c = HfConfig.read(file);
        assertThatThrownBy(c::numHiddenLayers).isInstanceOf(CheckpointException.class)
                .hasMessage(file + ": required field 'num_hidden_layers' is missing");
        assertThatThrownBy(c::intermediateSize)
                .hasMessage(file + ": required field 'intermediate_size' is missing");
        assertThatThrownBy(c::numKeyValueHeads)
                .hasMessage(file + ": 'num_key_value_heads' (3) must divide 'num_attention_heads' (8)");
        assertThatThrownBy(c::headDim).hasMessage(file
                + ": no 'head_dim', and 'hidden_size' (60) is not a multiple of 'num_attention_heads' (8)");
        assertThatThrownBy(c::ropeScaling)
                .hasMessage(file + ": 'rope_scaling' has no 'rope_type' (or 'type'): {\"factor\":8.0}");
        assertThatThrownBy(() -> config("{\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":-1}}").ropeScaling())
                .hasMessageEndingWith("'rope_scaling.factor' must be a positive number, got -1");
    }

    @Test
    void notJsonNotAnObjectOrMissing() throws IOException {
        Path broken = write("{\"hidden_size\": 64,");
        assertThatThrownBy(() -> HfConfig.read(broken)).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(broken + ": not valid JSON");
        Path array = write("[1, 2]");
        assertThatThrownBy(() -> HfConfig.read(array)).isInstanceOf(CheckpointException.class)
                .hasMessage(array + ": not a JSON object");
        Path empty = write("");
        assertThatThrownBy(() -> HfConfig.read(empty)).isInstanceOf(CheckpointException.class)
                .hasMessage(empty + ": not a JSON object");
        Path absent = dir.resolve("elsewhere");
        Files.createDirectory(absent);
        assertThatThrownBy(() -> HfConfig.read(absent)).isInstanceOf(CheckpointException.class)
                .hasMessage(absent.resolve("config.json") + ": not found");
    }

    @Test
    void genericAccessors() throws IOException {
        HfConfig c = config("{\"i\":-3,\"d\":2,\"s\":\"t\",\"b\":true,\"n\":null}");
        assertThat(c.requireInt("i")).isEqualTo(-3);
        assertThatThrownBy(() -> c.requirePositiveInt("i"))
                .hasMessageEndingWith("'i' must be a positive integer, got -3");
        assertThat(c.requireDouble("d")).isEqualTo(2.0);
        assertThat(c.requireString("s")).isEqualTo("t");
        assertThat(c.optBoolean("b", false)).isTrue();
        assertThat(c.has("n")).isFalse();
        assertThat(c.optInt("n")).isEmpty();
        assertThat(c.optString("n")).isEqualTo(Optional.empty());
        assertThat(c.optIntList("i")).isEqualTo(List.of(-3));
        assertThatThrownBy(() -> c.requireString("n")).hasMessageEndingWith("required field 'n' is missing");
        assertThatThrownBy(() -> c.requireDouble("s")).hasMessageEndingWith("'s' must be a number, got \"t\"");
        assertThatThrownBy(() -> c.requireInt("d2")).hasMessageEndingWith("required field 'd2' is missing");
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve("config-" + Math.abs(json.hashCode()) + ".json");
        return Files.writeString(file, json);
    }

    private HfConfig config(String json) throws IOException {
        return HfConfig.read(write(json));
    }
}
