package io.github.tokenprepending.djl.sentencetransformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.head.Activation;
import io.github.tokenprepending.head.EmbeddingHead;
import io.github.tokenprepending.head.Pooling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the head of the reference folders, and the errors for folders it cannot run. */
class SentenceTransformersFolderTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheClassicAndTheNewLayouts() throws IOException {
        EmbeddingHead qwen3 = SentenceTransformersFolder.read(StModels.unpack("qwen3-embedding", tmp)).orElseThrow();
        assertThat(qwen3.pooling()).isEqualTo(Pooling.LAST_TOKEN);
        assertThat(qwen3.normalize()).isTrue();
        assertThat(qwen3.prompts()).containsOnlyKeys("query", "document");
        assertThat(qwen3.defaultPromptName()).isNull();
        assertThat(qwen3.maxSeqLength()).isEqualTo(32);
        assertThat(qwen3.similarity()).isEqualTo("cosine");

        EmbeddingHead mistral = SentenceTransformersFolder.read(StModels.unpack("mistral-embed", tmp)).orElseThrow();
        assertThat(mistral.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(mistral.includePrompt()).isFalse();

        EmbeddingHead dense = SentenceTransformersFolder.read(StModels.unpack("qwen2-dense", tmp)).orElseThrow();
        assertThat(dense.dense()).hasSize(1);
        assertThat(dense.dense().get(0).activation()).isEqualTo(Activation.IDENTITY);
        assertThat(dense.dimension(32)).isEqualTo(24);
        assertThat(dense.normalize()).isFalse();

        EmbeddingHead gemma = SentenceTransformersFolder.read(StModels.unpack("gemma2-embed", tmp)).orElseThrow();
        assertThat(gemma.defaultPromptName()).isEqualTo("query");
        assertThat(gemma.maxSeqLength()).as("model_max_length of tokenizer_config.json").isEqualTo(1024);
    }

    @Test
    void aPlainCheckpointHasNoHead() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"llama\"}");
        assertThat(SentenceTransformersFolder.read(dir)).isEmpty();
    }

    @Test
    void customModelingCodeIsRefusedWithTheReasonAndWhatRuns() throws IOException {
        Path dir = StModels.unpack("mistral-embed", tmp);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replaceFirst("\\{", "{\"auto_map\": {\"AutoModel\": \"modeling_llama_encoder.LlamaBiModel\"},"));
        assertThatThrownBy(() -> SentenceEncoder.builder().model(dir).build())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("config.json")
                .hasMessageContaining("auto_map")
                .hasMessageContaining("bidirectional")
                .hasMessageContaining("Supported: causal decoders");
    }

    @Test
    void nvEmbedAndBidirectionalConfigsAreRefused() throws IOException {
        Path nv = Files.createDirectories(tmp.resolve("nv"));
        Files.writeString(nv.resolve("config.json"), "{\"model_type\": \"nvembed\"}");
        assertThatThrownBy(() -> SupportedModels.check(nv)).hasMessageContaining("latent-attention");
        Path bi = Files.createDirectories(tmp.resolve("bi"));
        Files.writeString(bi.resolve("config.json"), "{\"model_type\": \"qwen2\", \"is_causal\": false}");
        assertThatThrownBy(() -> SupportedModels.check(bi)).hasMessageContaining("bidirectionally");
        Path tokenizerOnly = Files.createDirectories(tmp.resolve("tok"));
        Files.writeString(tokenizerOnly.resolve("config.json"),
                "{\"model_type\": \"qwen2\", \"auto_map\": {\"AutoTokenizer\": [\"t.T\", null]}}");
        SupportedModels.check(tokenizerOnly);
    }

    @Test
    void anUnsupportedModuleOrPoolingModeIsNamed() throws IOException {
        Path dir = StModels.unpack("qwen3-embedding", tmp);
        Files.writeString(dir.resolve("1_Pooling/config.json"), "{\"pooling_mode\": \"cls\"}");
        assertThatThrownBy(() -> SentenceTransformersFolder.read(dir))
                .hasMessageContaining("1_Pooling")
                .hasMessageContaining("'cls' is not supported (supported: lasttoken, mean, weightedmean)");
        Files.writeString(dir.resolve("modules.json"), "[{\"path\": \"\", \"type\": \"x.Transformer\"},"
                + " {\"path\": \"1_Pooling\", \"type\": \"sentence_transformers.models.LayerNorm\"}]");
        assertThatThrownBy(() -> SentenceTransformersFolder.read(dir))
                .hasMessageContaining("modules.json")
                .hasMessageContaining("LayerNorm' is not supported");
    }

    @Test
    void unknownPromptNamesAndTooManyDimensionsAreRefused() {
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(StModels.unpack("qwen3-embedding", tmp))
                .dtype(io.github.tokenprepending.spi.DType.FLOAT32).build()) {
            assertThatThrownBy(() -> encoder.embed(List.of("a"), "passage"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown prompt name 'passage'")
                    .hasMessageContaining("query, document");
            assertThatThrownBy(() -> encoder.variant(b -> b.dimensions(33)))
                    .hasMessageContaining("dimensions 33 exceed the model's 32");
            assertThat(encoder.promptNames()).containsExactly("query", "document");
        }
    }
}
