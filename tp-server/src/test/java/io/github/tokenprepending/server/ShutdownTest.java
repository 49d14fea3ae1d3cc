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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A graceful shutdown answers the requests it admitted and refuses new ones with 503. */
class ShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Timeout(120)
    void shutdownFinishesAdmittedRequestsAndRefusesNewOnesWith503() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (SentenceEncoder encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).build()
                .open()) {
            float[] expected = encoder.embed("Tim was sad.");
            EmbeddingServer server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).build(),
                    embedder -> sentences -> {
                        entered.countDown();
                        try {
                            gate.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return embedder.embed(sentences);
                    });
            String base = server.baseUrl();
            CompletableFuture<HttpResponse<String>> admitted = CompletableFuture.supplyAsync(() -> send(base,
                    "/v1/embeddings", "{\"input\": \"Tim was sad.\"}"));
            assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
            HttpResponse<String> health;
            do {
                health = send(base, "/health", null);
            } while (health.statusCode() == 200);
            assertThat(health.statusCode()).isEqualTo(503);

            HttpResponse<String> refused = send(base, "/v1/embeddings", "{\"input\": \"Tim was happy.\"}");
            assertThat(refused.statusCode()).isEqualTo(503);
            JsonNode error = JSON.readTree(refused.body());
            assertThat(error.get("error_type").asText()).isEqualTo("unhealthy");
            assertThat(error.get("error").asText()).contains("shutting down");
            assertThat(closing).isNotDone();

            gate.countDown();
            HttpResponse<String> answered = admitted.get(20, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            JsonNode v = JSON.readTree(answered.body()).get("data").get(0).get("embedding");
            for (int k = 0; k < expected.length; k++) {
                assertThat(Math.abs(v.get(k).floatValue() - expected[k])).isLessThanOrEqualTo(1e-5f);
            }
            closing.get(20, TimeUnit.SECONDS);
            server.awaitShutdown();
        } finally {
            gate.countDown();
        }
    }

    private static HttpResponse<String> send(String base, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        b = body == null ? b.GET() : b.POST(HttpRequest.BodyPublishers.ofString(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
