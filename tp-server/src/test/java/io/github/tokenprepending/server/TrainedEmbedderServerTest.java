package io.github.tokenprepending.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.djl.sentencetransformers.StModels;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Case;
import io.github.tokenprepending.djl.sentencetransformers.StModels.Golden;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A trained embedder served: TEI's {@code prompt_name} on {@code /embed}, the same field as an extension of OpenAI's
 * {@code /v1/embeddings} (sent by the OpenAI Java client as an extra body property) and OpenAI's {@code dimensions}
 * give sentence-transformers' vectors for that prompt and truncation.
 */
@Timeout(180)
class TrainedEmbedderServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static Golden golden;
    static SentenceEncoder encoder;
    static EmbeddingServer server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("st-models");
        golden = StModels.golden("qwen3-embedding");
        encoder = SentenceEncoder.builder().model(StModels.unpack("qwen3-embedding", dir))
                .dtype(io.github.tokenprepending.spi.DType.FLOAT32).build();
        // the long sentence is over the folder's max_seq_length (32): cut, as sentence-transformers cuts it
        server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).autoTruncate(true).build());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (encoder != null) {
            encoder.close();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void openAiClientSendsThePromptNameAndDimensions() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused")
                .maxRetries(0).build();
        try {
            Case truncated = golden.find("truncate_dim");
            CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                    .inputOfArrayOfStrings(golden.sentences()).model("m").dimensions(truncated.truncateDim())
                    .putAdditionalBodyProperty("prompt_name", JsonValue.from("query")).build());
            for (int i = 0; i < golden.sentences().size(); i++) {
                List<Float> v = response.data().get(i).embedding();
                assertThat(v).hasSize(truncated.truncateDim());
                for (int d = 0; d < v.size(); d++) {
                    assertThat((double) v.get(d)).as("sentence %d component %d", i, d)
                            .isCloseTo(truncated.embeddings()[i][d], within(1e-5));
                }
            }
        } finally {
            client.close();
        }
    }

    @Test
    void teiEmbedTakesThePromptName() throws Exception {
        Case query = golden.find("prompt_query");
        String body = JSON.writeValueAsString(java.util.Map.of("inputs", golden.sentences(), "prompt_name", "query",
                "normalize", false));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                + "/embed")).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode vectors = JSON.readTree(r.body());
        for (int i = 0; i < golden.sentences().size(); i++) {
            for (int d = 0; d < query.embeddings()[i].length; d++) {
                assertThat(vectors.get(i).get(d).doubleValue()).as("sentence %d component %d", i, d)
                        .isCloseTo(query.embeddings()[i][d], within(1e-5));
            }
        }
    }
}
