package io.github.tokenprepending.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every refusal: its status code and its {@code {error, error_type}} body. */
@Timeout(120)
class ErrorsTest {
    private static final String KEY = "s3cret-key-for-tests";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String LONG = "Once upon a time there was a little girl who loved to play in the park with her"
            + " dog, and every day they ran and jumped and laughed until the sun went down behind the hills.";

    static SentenceEncoder encoder;
    static EmbeddingServer server;
    static volatile CountDownLatch gate = new CountDownLatch(0);
    static volatile CountDownLatch entered = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).maxTokens(60).build().open();
        assertThat(encoder.promptTokens(LONG)).isGreaterThan(60);
        server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).apiKey(KEY).maxClientBatchSize(3)
                .payloadLimit(4096).maxConcurrentRequests(1).build(), embedder -> (sentences, variant) -> {
                    entered.countDown();
                    try {
                        gate.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return embedder.embed(sentences, variant);
                });
    }

    @AfterAll
    static void stop() {
        gate.countDown();
        if (server != null) {
            server.close();
        }
        if (encoder != null) {
            encoder.close();
        }
    }

    private static HttpResponse<String> post(String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode refused(HttpResponse<String> r, int status, String type, String... phrases)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/json"));
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error_type").asText()).isEqualTo(type);
        assertThat(body.get("error").asText()).contains(phrases);
        assertThat(r.body()).doesNotContain(KEY);
        return body;
    }

    private static JsonNode refused(String body, int status, String type, String... phrases) throws Exception {
        return refused(post("/v1/embeddings", body, KEY), status, type, phrases);
    }

    @Test
    void everyRouteButHealthNeedsTheKeyWhichNeverAppearsInAnswers() throws Exception {
        refused(post("/v1/embeddings", "{\"input\": \"hi\"}", null), 401, "authentication",
                "missing Authorization");
        refused(post("/v1/embeddings", "{\"input\": \"hi\"}", KEY + "x"), 401, "authentication", "invalid API key");
        refused(post("/embed", "{\"inputs\": \"hi\"}", "wrong"), 401, "authentication", "invalid API key");
        for (String path : List.of("/info", "/metrics")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            refused(r, 401, "authentication", "missing Authorization");
        }
        HttpResponse<String> health = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/health"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(post("/v1/embeddings", "{\"input\": \"hi\"}", KEY).statusCode()).isEqualTo(200);
        assertThat(server.toString()).doesNotContain(KEY);
    }

    @Test
    void malformedRequestsNameTheProblemAndTheField() throws Exception {
        refused("{\"input\": [\"a\",", 400, "validation", "not valid JSON", "line 1");
        refused("", 400, "validation", "body is empty");
        refused("[\"a\"]", 422, "validation", "must be a JSON object");
        refused("{\"model\": \"m\"}", 422, "validation", "missing field 'input'");
        refused("{\"input\": 42}", 422, "validation", "input must be a string or an array of strings");
        refused("{\"input\": [[1, 2, 3]]}", 422, "validation", "input[0]", "token ids");
        refused("{\"input\": [\"ok\", 7]}", 422, "validation", "input[1]", "token ids");
        refused("{\"input\": \"ok\", \"encoding_format\": \"xml\"}", 422, "validation", "encoding_format");
        refused("{\"input\": \"ok\", \"dimensions\": " + (encoder.dimension() + 1) + "}", 422, "validation",
                "dimensions", "an integer from 1 to " + encoder.dimension());
        refused("{\"input\": \"ok\", \"dimensions\": 0}", 422, "validation", "dimensions");
        refused("{\"input\": \"ok\", \"prompt_name\": \"query\"}", 422, "validation", "prompt_name",
                "unknown prompt name 'query'");
        refused(post("/embed", "{\"inputs\": \"ok\", \"prompt_name\": 3}", KEY), 422, "validation",
                "prompt_name must be a string");
        refused(post("/embed", "{\"inputs\": \"ok\", \"normalize\": \"yes\"}", KEY), 422, "validation",
                "normalize must be true or false");
        refused(post("/embed", "{\"input\": \"ok\"}", KEY), 422, "validation", "missing field 'inputs'");
        assertThat(post("/v1/embeddings", "{\"input\": \"ok\", \"dimensions\": " + encoder.dimension() + "}", KEY)
                .statusCode()).isEqualTo(200);
    }

    @Test
    void emptyInputIs400() throws Exception {
        refused("{\"input\": []}", 400, "empty", "input is empty");
        refused("{\"input\": \"\"}", 400, "empty", "input is an empty string");
        refused("{\"input\": [\"a\", \"\"]}", 400, "empty", "input[1] is an empty string");
    }

    @Test
    void oversizedRequestsAre413() throws Exception {
        refused("{\"input\": \"" + "word ".repeat(1000) + "\"}", 413, "validation", "payload limit of 4096 bytes",
                "--payload-limit");
        refused("{\"input\": [\"a\", \"b\", \"c\", \"d\"]}", 413, "validation", "4 items", "limit of 3",
                "--max-client-batch-size");
        refused("{\"input\": [\"short\", \"" + LONG + "\"]}", 413, "validation", "input[1] has", "limit of 60",
                "--max-tokens");
        refused(post("/embed", "{\"inputs\": \"" + LONG + "\"}", KEY), 413, "validation", "inputs has",
                "\"truncate\": true");
    }

    @Test
    void truncationOnRequestCutsTheInputAsTheEncoderDoes() throws Exception {
        HttpResponse<String> r = post("/embed", "{\"inputs\": [\"" + LONG + "\"], \"truncate\": true,"
                + " \"normalize\": false}", KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode v = JSON.readTree(r.body()).get(0);
        float[] expected = encoder.embed(LONG);
        for (int k = 0; k < expected.length; k++) {
            assertThat(Math.abs(v.get(k).floatValue() - expected[k])).isLessThanOrEqualTo(1e-5f);
        }
    }

    @Test
    void unknownRoutesAnswerJson404() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v2/nothing"))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        refused(r, 404, "not_found", "/v2/nothing",
                "(routes: POST /v1/embeddings, POST /embed, GET /health, GET /info, GET /metrics)");
    }

    @Test
    void aFullQueueAnswers429AndRecovers() throws Exception {
        gate = new CountDownLatch(1);
        entered = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/v1/embeddings", "{\"input\": \"Tim was sad.\"}", KEY);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(entered.await(20, TimeUnit.SECONDS)).as(() -> String.valueOf(first.getNow(null) == null ? "running"
                    : first.join().body())).isTrue();
            refused("{\"input\": \"Tim was happy.\"}", 429, "overloaded", "--max-concurrent-requests");
        } finally {
            gate.countDown();
        }
        assertThat(first.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(post("/v1/embeddings", "{\"input\": \"Tim was happy.\"}", KEY).statusCode()).isEqualTo(200);
    }
}
