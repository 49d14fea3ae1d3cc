package io.github.tokenprepending.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.model.embedding.request.EmbeddingInputType;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.output.Response;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.sentencetransformers.StModels;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trained embedder through langchain4j: {@code inputType} QUERY embeds with the folder's {@code query} prompt and
 * DOCUMENT with its {@code document} prompt, {@code dimensions} truncates; the vectors are sentence-transformers'.
 */
class TrainedEmbedderTest {
    @TempDir
    Path tmp;

    @Test
    void inputTypeSelectsTheFoldersPromptsAndDimensionsTruncate() {
        Golden golden = StModels.golden("qwen3-embedding");
        List<String> sentences = golden.sentences();
        try (SentenceEncoder encoder = SentenceEncoder.builder().model(StModels.unpack("qwen3-embedding", tmp))
                        .dtype(io.github.tokenprepending.spi.DType.FLOAT32).build();
                TokenPrependingEmbeddingModel model = TokenPrependingEmbeddingModel.builder().encoder(encoder)
                        .build()) {
            assertThat(model.supportedParameters()).contains(EmbeddingRequestParameters.INPUT_TYPE);
            assertGolden(model.embed(EmbeddingRequest.builder().inputs(sentences.toArray(new String[0]))
                    .inputType(EmbeddingInputType.QUERY).build()).embeddings(), golden.find("prompt_query"));
            assertGolden(model.embed(EmbeddingRequest.builder().inputs(sentences.toArray(new String[0]))
                    .inputType(EmbeddingInputType.DOCUMENT).build()).embeddings(), golden.find("prompt_document"));
            Case truncated = golden.find("truncate_dim");
            assertGolden(model.embed(EmbeddingRequest.builder().inputs(sentences.toArray(new String[0]))
                    .inputType(EmbeddingInputType.QUERY).dimensions(truncated.truncateDim()).build()).embeddings(),
                    truncated);
            Response<Embedding> plain = model.embed(sentences.get(0));
            assertGolden(List.of(plain.content()), golden.find("default"));
        }
    }

    private static void assertGolden(List<Embedding> embeddings, Case expected) {
        for (int i = 0; i < embeddings.size(); i++) {
            float[] v = embeddings.get(i).vector();
            assertThat(v).as("%s sentence %d", expected.name(), i).hasSize(expected.embeddings()[i].length);
            for (int d = 0; d < v.length; d++) {
                assertThat((double) v[d]).as("%s sentence %d component %d", expected.name(), i, d)
                        .isCloseTo(expected.embeddings()[i][d], within(1e-5));
            }
        }
    }
}
