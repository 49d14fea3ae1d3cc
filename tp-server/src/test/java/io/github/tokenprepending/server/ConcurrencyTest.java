package io.github.tokenprepending.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.models.ToyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 32 client threads x 50 requests of 1 to 6 sentences each over loopback: every answer is the serial embedding of
 * its own inputs, none lost or swapped, and no 5xx.
 */
class ConcurrencyTest {
    private static final int THREADS = 32;
    private static final int REQUESTS = 50;
    private static final ObjectMapper JSON = new ObjectMapper();

    static SentenceEncoder encoder;
    static EmbeddingServer server;
    static List<String> pool;
    static Map<String, float[]> serial;

    @BeforeAll
    static void start() {
        encoder = EncoderSettings.builder().model(ToyModel.directory().toString()).build().open();
        String[] subjects = {"The little girl", "A big dog", "Tim", "The old king", "A red bird", "Mom", "The sun",
            "A small boat"};
        String[] actions = {"played in the park.", "was very sad.", "ate a big cake.", "ran to the tree.",
            "saw a shiny star.", "went to sleep."};
        pool = new ArrayList<>();
        for (String s : subjects) {
            for (String a : actions) {
                pool.add(s + " " + a);
            }
        }
        serial = pool.stream().collect(Collectors.toMap(Function.identity(), encoder::embed));
        server = EmbeddingServer.start(encoder, ServerOptions.builder().port(0).build());
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

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void everyAnswerIsTheSerialEmbeddingOfItsOwnInputs() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService clients = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                long seed = t;
                done.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    int checked = 0;
                    for (int r = 0; r < REQUESTS; r++) {
                        List<String> inputs = IntStream.range(0, 1 + random.nextInt(6))
                                .mapToObj(i -> pool.get(random.nextInt(pool.size()))).toList();
                        ArrayNode input = JSON.createArrayNode();
                        inputs.forEach(input::add);
                        String body = JSON.writeValueAsString(JSON.createObjectNode().set("input", input));
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl()
                                + "/v1/embeddings")).timeout(Duration.ofSeconds(60))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        JsonNode data = JSON.readTree(response.body()).get("data");
                        assertThat(data).hasSize(inputs.size());
                        for (int i = 0; i < inputs.size(); i++) {
                            assertThat(data.get(i).get("index").asInt()).isEqualTo(i);
                            JsonNode v = data.get(i).get("embedding");
                            float[] expected = serial.get(inputs.get(i));
                            assertThat(v).hasSize(expected.length);
                            for (int k = 0; k < expected.length; k++) {
                                assertThat(Math.abs(v.get(k).floatValue() - expected[k])).as("%s [%d]",
                                        inputs.get(i), k).isLessThanOrEqualTo(1e-5f);
                            }
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            int sentences = 0;
            for (Future<Integer> f : done) {
                sentences += f.get(110, TimeUnit.SECONDS);
            }
            assertThat(sentences).isGreaterThanOrEqualTo(THREADS * REQUESTS);
        } finally {
            clients.shutdownNow();
        }
        String metrics = server.metricsText();
        assertThat(metrics).contains("tp_http_requests_seconds_count{route=\"/v1/embeddings\",status=\"200\"} "
                + (THREADS * REQUESTS));
        assertThat(metrics).doesNotContain("status=\"5");
    }
}
