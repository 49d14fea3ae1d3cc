package io.github.tokenprepending.djl.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.djl.family.CommonConfig;
import io.github.tokenprepending.djl.family.RopeSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config.json read once and bound to the shared fields ({@link CommonConfig}). The real configs' expected values are
 * read off the files by eye (see the README of the golden models).
 */
class HfConfigTest {

    @TempDir
    Path dir;

    @Test
    void llama() throws IOException {
        HfConfig config = HfConfig.read(TestFiles.model("llama"));
        assertThat(config.path()).isEqualTo(TestFiles.model("llama").resolve("config.json"));
        CommonConfig c = CommonConfig.of(config);
        assertThat(c.modelType()).isEqualTo("llama");
        assertThat(c.hiddenSize()).isEqualTo(64);
        assertThat(c.numHiddenLayers()).isEqualTo(4);
        assertThat(c.numAttentionHeads()).isEqualTo(4);
        assertThat(c.kvHeads()).isEqualTo(4);
        assertThat(c.headDimOrQuotient()).isEqualTo(16);
        assertThat(c.intermediateSize()).isEqualTo(128);
        assertThat(c.vocabSize()).isEqualTo(300);
        assertThat(c.rmsNormEps()).isEqualTo(1e-5);
        assertThat(c.theta()).isEqualTo(10000.0);
        assertThat(c.rope()).isEqualTo(RopeSpec.plain(10000.0));
        assertThat(c.maxPositionEmbeddings()).isEqualTo(256);
        assertThat(c.hiddenAct()).isEqualTo("silu");
        assertThat(c.bosTokenId()).isEqualTo(1);
    }

    @Test
    void llama3RopeScaling() throws IOException {
        CommonConfig c = CommonConfig.of(HfConfig.read(TestFiles.model("llama3").resolve("config.json")));
        assertThat(c.kvHeads()).isEqualTo(2);
        assertThat(c.theta()).isEqualTo(500000.0);
        assertThat(c.rope()).isEqualTo(new RopeSpec(500000.0, RopeSpec.Type.LLAMA3, 8.0, 1.0, 4.0, 64));
    }

    @Test
    void qwen2() throws IOException {
        CommonConfig c = CommonConfig.of(HfConfig.read(TestFiles.model("qwen2")));
        assertThat(c.modelType()).isEqualTo("qwen2");
        assertThat(c.numHiddenLayers()).isEqualTo(5);
        assertThat(c.kvHeads()).isEqualTo(2);
        assertThat(c.headDimOrQuotient()).isEqualTo(16);
        assertThat(c.rmsNormEps()).isEqualTo(1e-6);
        assertThat(c.theta()).isEqualTo(1e6);
        assertThat(c.bosTokenId()).isNull();
    }

    @Test
    void gemma2() throws IOException {
        CommonConfig c = CommonConfig.of(HfConfig.read(TestFiles.model("gemma2")));
        assertThat(c.modelType()).isEqualTo("gemma2");
        assertThat(c.numHiddenLayers()).isEqualTo(6);
        assertThat(c.headDimOrQuotient()).isEqualTo(32);
        assertThat(c.hiddenSize() / c.numAttentionHeads()).isEqualTo(16);
        assertThat(c.hiddenAct()).isNull();
        assertThat(c.bosTokenId()).isEqualTo(2);
    }

    @Test
    void stories260K() throws IOException {
        CommonConfig c = CommonConfig.of(HfConfig.read(TestFiles.resource("stories260K")));
        assertThat(c.numAttentionHeads()).isEqualTo(8);
        assertThat(c.kvHeads()).isEqualTo(4);
        assertThat(c.headDimOrQuotient()).isEqualTo(8);
        assertThat(c.intermediateSize()).isEqualTo(172);
        assertThat(c.vocabSize()).isEqualTo(512);
        assertThat(c.maxPositionEmbeddings()).isEqualTo(512);
    }

    @Test
    void defaultsWhenFieldsAreAbsent() throws IOException {
        CommonConfig c = CommonConfig.of(config("{\"model_type\":\"llama\",\"hidden_size\":64,"
                + "\"num_attention_heads\":8,\"num_hidden_layers\":2,\"intermediate_size\":128,\"vocab_size\":300}"));
        assertThat(c.kvHeads()).isEqualTo(8);
        assertThat(c.headDimOrQuotient()).isEqualTo(8);
        assertThat(c.theta()).isEqualTo(10000.0);
        assertThat(c.rope()).isEqualTo(RopeSpec.plain(10000.0));
        assertThat(c.spec(2048).activation(io.github.tokenprepending.djl.family.Activation.SILU).build())
                .satisfies(spec -> {
                    assertThat(spec.rmsEps()).isEqualTo(1e-6);
                    assertThat(spec.maxPositions()).isEqualTo(2048);
                    assertThat(spec.numKvHeads()).isEqualTo(8);
                    assertThat(spec.headDim()).isEqualTo(8);
                    assertThat(spec.bosId()).isEqualTo(-1);
                });
    }

    @Test
    void newerTransformersSpellings() throws IOException {
        String sizes = "\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8,"
                + "\"num_hidden_layers\":2,\"intermediate_size\":128,\"vocab_size\":300,";
        CommonConfig c = CommonConfig.of(config("{" + sizes + "\"rope_parameters\":{\"rope_type\":\"default\","
                + "\"rope_theta\":500000.0}}"));
        assertThat(c.theta()).isEqualTo(500000.0);
        assertThat(c.rope()).isEqualTo(RopeSpec.plain(500000.0));
        CommonConfig legacy = CommonConfig.of(config("{" + sizes + "\"rope_scaling\":{\"type\":\"linear\","
                + "\"factor\":2}}"));
        assertThat(legacy.rope()).isEqualTo(new RopeSpec(10000.0, RopeSpec.Type.LINEAR, 2, 1, 4, 8192));
    }

    @Test
    void pythonNonNumericLiteralsAreAccepted() throws IOException {
        Path file = write("{\"x\": NaN, \"y\": Infinity}");
        assertThat(HfConfig.read(file).bind(Doubles.class)).isEqualTo(new Doubles(Double.NaN,
                Double.POSITIVE_INFINITY));
    }

    /** Two numbers, to show Python's literals bind. */
    record Doubles(@com.fasterxml.jackson.annotation.JsonProperty("x") Double x,
            @com.fasterxml.jackson.annotation.JsonProperty("y") Double y) {
    }

    @Test
    void wrongTypesNameTheFileAndTheField() throws IOException {
        String sizes = "\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8,"
                + "\"num_hidden_layers\":2,\"intermediate_size\":128,\"vocab_size\":300";
        expect("{" + sizes.replace("2,", "\"x\",") + "}", "'num_hidden_layers' must be an integer, got \"x\"");
        expect("{" + sizes.replace("64", "-64") + "}", "'hidden_size' must be a positive integer, got -64");
        expect("{" + sizes.replace("8,", "4.5,") + "}", "'num_attention_heads' must be an integer, got 4.5");
        expect("{" + sizes + ",\"rope_theta\":\"big\"}", "'rope_theta' must be a number, got \"big\"");
        expect("{" + sizes + ",\"rms_norm_eps\":0}", "'rms_norm_eps' must be a positive number, got 0.0");
        expect("{" + sizes.replace("\"llama\"", "7") + "}", "'model_type' must be a string, got 7");
        expect("{" + sizes + ",\"rope_scaling\":\"llama3\"}", "'rope_scaling' must be an object, got \"llama3\"");
        expect("{" + sizes + ",\"rope_scaling\":{\"rope_type\":\"llama3\",\"factor\":-1}}",
                "'rope_scaling.factor' must be a positive number, got -1.0");
        Path file = write("{" + sizes.replace("300", "4294967296") + "}");
        assertThatThrownBy(() -> CommonConfig.of(HfConfig.read(file))).isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith(file + ": 'vocab_size': ");
    }

    @Test
    void missingAndInconsistentFields() throws IOException {
        expect("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8,\"intermediate_size\":128,"
                + "\"vocab_size\":300}", "required field 'num_hidden_layers' is missing");
        expect("{\"model_type\":\"llama\",\"hidden_size\":64,\"num_attention_heads\":8,\"num_hidden_layers\":2,"
                + "\"intermediate_size\":null,\"vocab_size\":300}", "required field 'intermediate_size' is missing");
        String sizes = "\"model_type\":\"llama\",\"hidden_size\":60,\"num_attention_heads\":8,"
                + "\"num_hidden_layers\":2,\"intermediate_size\":128,\"vocab_size\":300";
        expect("{" + sizes + ",\"num_key_value_heads\":3}",
                "'num_key_value_heads' (3) must divide 'num_attention_heads' (8)");
        expect("{" + sizes + ",\"rope_scaling\":{\"factor\":8.0}}", "'rope_scaling' has no 'rope_type' (or 'type')");
        CommonConfig c = CommonConfig.of(config("{" + sizes + "}"));
        assertThatThrownBy(c::headDimOrQuotient).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no 'head_dim', and 'hidden_size' (60) is not a multiple of 'num_attention_heads' (8)");
        CommonConfig yarn = CommonConfig.of(config("{" + sizes + ",\"rope_scaling\":{\"rope_type\":\"yarn\"}}"));
        assertThatThrownBy(yarn::rope)
                .hasMessage("rope_scaling type 'yarn' is not supported (supported: linear, dynamic, llama3)");
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

    private void expect(String json, String message) throws IOException {
        Path file = write(json);
        assertThatThrownBy(() -> CommonConfig.of(HfConfig.read(file))).isInstanceOf(CheckpointException.class)
                .hasMessage(file + ": " + message);
    }

    private Path write(String json) throws IOException {
        Path file = dir.resolve("config-" + Math.abs(json.hashCode()) + ".json");
        return Files.writeString(file, json);
    }

    private HfConfig config(String json) throws IOException {
        return HfConfig.read(write(json));
    }
}
