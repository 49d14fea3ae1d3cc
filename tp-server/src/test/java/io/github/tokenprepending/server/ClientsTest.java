package io.github.tokenprepending.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The server against clients written by others: langchain4j's OpenAiEmbeddingModel and OpenAI's Java SDK. */
@Timeout(120)
class ClientsTest {
    static final List<String> SENTENCES = List.of("The little girl played with her dog in the park.",
            "A small child was playing with a puppy outside.", "The old king counted his gold in the castle.",
            "Once upon a time there was a big red ball.", "Tim was sad.");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static SentenceEncoder encoder;
    static EmbeddingServer server;
    static List<float[]> expected;

    @BeforeAll
    static void start() {
        encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).build().open();
        expected = SENTENCES.stream().map(encoder::embed).toList();
        server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).servedModelName("stories260K")
                .build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }

    static void assertClose(float[] actual, float[] expected) {
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < actual.length; i++) {
            assertThat(Math.abs(actual[i] - expected[i])).as("component %d", i).isLessThanOrEqualTo(1e-5f);
        }
    }

    @Test
    void langchain4jOpenAiEmbeddingModelGetsTheEncodersVectors() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(server.baseUrl() + "/v1")
                .apiKey("unused").modelName("any-name").build();
        List<Embedding> embeddings = model.embedAll(SENTENCES.stream().map(TextSegment::from).toList()).content();
        assertThat(embeddings).hasSize(SENTENCES.size());
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertClose(embeddings.get(i).vector(), expected.get(i));
        }
        assertThat(model.embed("Tim was sad.").content().vector()).hasSize(encoder.dimension());
    }

    @Test
    void openAiJavaClientGetsTheEncodersVectorsUsageAndModel() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused")
                .maxRetries(0).build();
        try {
            CreateEmbeddingResponse response = client.embeddings().create(EmbeddingCreateParams.builder()
                    .inputOfArrayOfStrings(SENTENCES).model("text-embedding-3-small")
                    .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build());
            assertThat(response.model()).isEqualTo("stories260K");
            assertThat(response.data()).hasSize(SENTENCES.size());
            for (int i = 0; i < SENTENCES.size(); i++) {
                assertThat(response.data().get(i).index()).isEqualTo(i);
                List<Float> v = response.data().get(i).embedding();
                float[] actual = new float[v.size()];
                for (int k = 0; k < actual.length; k++) {
                    actual[k] = v.get(k);
                }
                assertClose(actual, expected.get(i));
            }
            // 18 + 23 + 21 + 15 + 6 tokens: transformers' AutoTokenizer on the toy model's
            // tokenizer.json (<PST> added as evaluate.py does), the PromptEOL prompt around each preprocessed text minus
            // the prompt around "" (26 tokens)
            assertThat(response.usage().promptTokens()).isEqualTo(83);
            assertThat(response.usage().totalTokens()).isEqualTo(83);

            CreateEmbeddingResponse base64 = client.embeddings().create(EmbeddingCreateParams.builder()
                    .input(SENTENCES.get(0)).model("m").encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64)
                    .build());
            assertThat(base64.data()).hasSize(1);
            assertThat(base64.data().get(0).embedding()).hasSize(encoder.dimension());
        } finally {
            client.close();
        }
    }

    @Test
    void base64DecodesToExactlyTheFloatsOfTheFloatFormat() throws Exception {
        JsonNode floats = post("/v1/embeddings", "{\"input\": [\"Tim was sad.\", \"A big red ball.\"]}");
        JsonNode base64 = post("/v1/embeddings",
                "{\"input\": [\"Tim was sad.\", \"A big red ball.\"], \"encoding_format\": \"base64\"}");
        assertThat(base64.get("object").asText()).isEqualTo("list");
        for (int i = 0; i < 2; i++) {
            JsonNode f = floats.get("data").get(i).get("embedding");
            ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.get("data").get(i).get("embedding")
                    .asText())).order(ByteOrder.LITTLE_ENDIAN);
            assertThat(bytes.remaining()).isEqualTo(4 * encoder.dimension());
            for (int k = 0; k < f.size(); k++) {
                assertThat(bytes.getFloat()).isEqualTo(Float.parseFloat(f.get(k).asText()));
            }
        }
    }

    @Test
    void teiEmbedNormalizesByDefaultAndReturnsRawVectorsOnRequest() throws Exception {
        JsonNode raw = post("/embed", "{\"inputs\": [\"Tim was sad.\"], \"normalize\": false}");
        assertThat(raw.isArray()).isTrue();
        float[] vector = new float[raw.get(0).size()];
        for (int k = 0; k < vector.length; k++) {
            vector[k] = raw.get(0).get(k).floatValue();
        }
        assertClose(vector, expected.get(4));

        JsonNode unit = post("/embed", "{\"inputs\": \"Tim was sad.\"}");
        double norm = 0;
        for (JsonNode x : unit.get(0)) {
            norm += x.doubleValue() * x.doubleValue();
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }

    @Test
    void infoHealthAndMetricsDescribeTheServer() throws Exception {
        JsonNode info = get("/info", 200);
        assertThat(info.get("model_id").asText()).isEqualTo("stories260K");
        assertThat(info.get("family").asText()).isEqualTo(encoder.modelInfo().family());
        assertThat(info.get("dimension").asInt()).isEqualTo(encoder.dimension());
        assertThat(info.get("token_prepending").get("start").asInt()).isEqualTo(encoder.config().tp().start());
        assertThat(info.get("output_layer").asText()).isEqualTo(encoder.config().outputLayer().toString());
        assertThat(info.get("max_batch_tokens").asInt()).isEqualTo(encoder.config().maxBatchTokens());
        assertThat(info.get("dtype").asText()).isNotBlank();
        assertThat(info.get("weights_dtype").asText()).isEqualTo("FLOAT32");
        assertThat(info.get("widened_layers").asInt()).as("float32 weights are never widened").isZero();
        assertThat(info.get("device").asText()).isEqualTo("cpu");
        assertThat(get("/health", 200).get("status").asText()).isEqualTo("ok");

        post("/v1/embeddings", "{\"input\": \"Tim was sad.\"}");
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics"))
                .GET().build());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("tp_http_requests_seconds_count{route=\"/v1/embeddings\",status=\"200\"}",
                "tp_batch_size_bucket", "tp_batch_tokens_bucket", "tp_queue_depth", "tp_embedded_sentences_total",
                "tp_embedded_tokens_total");
    }

    static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET().build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return JSON.readTree(r.body());
    }
}
