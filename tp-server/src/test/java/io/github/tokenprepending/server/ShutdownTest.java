package io.github.tokenprepending.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A graceful shutdown answers the requests it admitted and refuses new ones with 503, then closes the listener (later
 * connections are refused).
 */
class ShutdownTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int CLIENTS = 8;
    private static final int ROUNDS = 3;
    private static final String SENTENCE = "Once upon a time there was a little girl who liked to play.";

    @Test
    @Timeout(120)
    void shutdownFinishesAdmittedRequestsAndRefusesNewOnesWith503() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(1);
        try (SentenceEncoder encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).build()
                .open()) {
            float[] expected = encoder.embed("Tim was sad.");
            EmbeddingServer server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).build(),
                    embedder -> (sentences, variant) -> {
                        entered.countDown();
                        try {
                            gate.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return embedder.embed(sentences, variant);
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

    /**
     * The race of a SIGTERM against a loaded server, a few rounds: 8 clients send 10-sentence requests back to back
     * while the server's own shutdown path (what the {@code tp serve} hook runs: {@link EmbeddingServer#close()} on a
     * server that owns its model) starts in the middle of an encoder call, with more requests queued behind it. Each
     * client sees 200s, then one 503 or no answer at all (its connection refused, or dropped as the listener closed);
     * never another status. No admitted request is lost: the server's count of 200s (and of sentences embedded) is
     * exactly what the clients received, its 503s all reached their clients, and the model is closed last.
     */
    @Test
    @Timeout(180)
    void aStopRacingEightClientsAnswersEveryAdmittedRequestAndRefusesTheRest() throws Exception {
        String body = JSON.writeValueAsString(Map.of("input", Collections.nCopies(10, SENTENCE)));
        for (int round = 0; round < ROUNDS; round++) {
            int stopAtCall = 2 + round;
            SentenceEncoder encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).build().open();
            float[] expected = encoder.embed(SENTENCE);
            AtomicReference<EmbeddingServer> self = new AtomicReference<>();
            AtomicReference<CompletableFuture<Void>> stop = new AtomicReference<>();
            AtomicInteger calls = new AtomicInteger();
            AtomicInteger sentencesAfterStop = new AtomicInteger();
            // batches of at most 2 requests, so that requests are queued behind the running one when the stop comes
            EmbeddingServer server = EmbeddingServer.startOwning(encoder, ServerOptions.builder().port(0)
                    .maxBatchRequests(2).build(), embedder -> (sentences, variant) -> {
                        if (stop.get() != null) {
                            sentencesAfterStop.addAndGet(sentences.size());
                        } else if (calls.incrementAndGet() == stopAtCall) {
                            stop.set(CompletableFuture.runAsync(() -> self.get().close()));
                            sleep(50); // the stop is under way while this call runs
                        }
                        return embedder.embed(sentences, variant);
                    });
            self.set(server);
            String base = server.baseUrl();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<List<String>>> outcomes = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    outcomes.add(clients.submit(() -> sendUntilRefused(base, body, expected)));
                }
                int answered = 0;
                int refused = 0;
                for (Future<List<String>> f : outcomes) {
                    List<String> outcome = f.get(120, TimeUnit.SECONDS);
                    String last = outcome.get(outcome.size() - 1);
                    assertThat(outcome.subList(0, outcome.size() - 1)).as("round %d: %s", round, outcome)
                            .containsOnly("200");
                    assertThat(last).as("round %d: %s", round, outcome).isIn("503", "no answer");
                    answered += outcome.size() - 1;
                    refused += last.equals("503") ? 1 : 0;
                }
                assertThat(stop.get()).as("round %d: the stop never came", round).isNotNull();
                stop.get().get(60, TimeUnit.SECONDS);
                assertThat(sentencesAfterStop.get()).as("round %d: requests queued at the stop", round).isPositive();
                String metrics = server.metricsText();
                assertThat(metrics).as("round %d", round).doesNotContain("status=\"5" + "00\"");
                // every request embedded was answered 200: the clients counted exactly the server's 200s
                assertThat(metrics).contains("tp_http_requests_seconds_count{route=\"/v1/embeddings\",status=\"200\"} "
                        + answered);
                assertThat(metrics).contains("tp_embedded_sentences_total " + (10.0 * answered));
                assertThat(metrics).contains("tp_http_requests_seconds_count{route=\"/v1/embeddings\",status=\"503\"} "
                        + refused);
                assertThat(outcome(base, body, expected)).as("after the stop").isEqualTo("no answer");
                assertThatThrownBy(() -> encoder.embed(SENTENCE)).as("the model is closed last")
                        .isInstanceOf(IllegalStateException.class);
            } finally {
                clients.shutdownNow();
                server.close();
            }
        }
    }

    /** @return the outcomes of requests sent back to back, up to the first that is not 200 */
    private static List<String> sendUntilRefused(String base, String body, float[] expected) {
        List<String> outcomes = new ArrayList<>();
        String last;
        do {
            last = outcome(base, body, expected);
            outcomes.add(last);
        } while (last.equals("200"));
        return outcomes;
    }

    /**
     * @return "200" (with ten correct vectors), "503" (the shutdown refusal, with {@code Connection: close}), "no
     *     answer" (the connection refused, or closed without an answer), or what else came back
     */
    private static String outcome(String base, String body, float[] expected) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/embeddings")).timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return e.toString();
        } catch (IOException e) { // ConnectException, or "header parser received no bytes", "connection reset"
            return "no answer";
        } catch (Exception e) {
            return e.toString();
        }
        try {
            JsonNode answer = JSON.readTree(r.body());
            if (r.statusCode() == 200) {
                JsonNode data = answer.get("data");
                assertThat(data).hasSize(10);
                JsonNode v = data.get(9).get("embedding");
                for (int k = 0; k < expected.length; k++) {
                    assertThat(Math.abs(v.get(k).floatValue() - expected[k])).isLessThanOrEqualTo(1e-5f);
                }
            } else if (r.statusCode() == 503) {
                assertThat(answer.get("error_type").asText()).isEqualTo("unhealthy");
                assertThat(r.headers().firstValue("Connection")).hasValue("close");
            }
        } catch (IOException e) {
            return r.statusCode() + " " + r.body();
        }
        return r.statusCode() == 200 || r.statusCode() == 503 ? Integer.toString(r.statusCode())
                : r.statusCode() + " " + r.body();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
