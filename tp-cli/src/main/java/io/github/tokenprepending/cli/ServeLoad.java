package io.github.tokenprepending.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.bench.BenchModels;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.models.ToyModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load generator for {@code tp serve} on this machine: for each client count, that many threads send
 * {@code --requests} requests of {@code --inputs} sentences each to {@code POST /v1/embeddings} (bounded in count and
 * in time), and the requests/s, sentences/s and p50/p99 latency are printed. {@code --direct} also times one
 * in-process {@code embed} call of the bundled toy model over the same sentences, for comparison.
 *
 * <pre>
 * java -cp tp-cli/target/tp.jar io.github.tokenprepending.cli.ServeLoad \
 *     --url http://127.0.0.1:8080 --clients 1,8,32 --requests 50 --inputs 4 --direct
 * </pre>
 */
public final class ServeLoad {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeLoad() {
    }

    /**
     * @param args {@code --url URL --clients 1,8,32 --requests N --inputs K --max-seconds S --sentences FILE
     *     --direct --synthetic SPEC}
     * @throws Exception on a failed request or a bad argument
     */
    public static void main(String[] args) throws Exception {
        String url = "http://127.0.0.1:8080";
        int[] clients = {1, 8, 32};
        int requests = 50;
        int inputs = 4;
        int maxSeconds = 60;
        Path file = null;
        boolean direct = false;
        String synthetic = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--clients" -> clients = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--requests" -> requests = Integer.parseInt(args[++i]);
                case "--inputs" -> inputs = Integer.parseInt(args[++i]);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(args[++i]);
                case "--sentences" -> file = Path.of(args[++i]);
                case "--direct" -> direct = true;
                case "--synthetic" -> synthetic = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        URI target = URI.create(url.replaceAll("/+$", "") + "/v1/embeddings");
        if (!LOOPBACK.contains(target.getHost())) {
            throw new IllegalArgumentException("ServeLoad only loads a server on this machine, not " + target.getHost());
        }
        List<String> pool = file == null ? BenchModels.stsbSentences() : Files.readAllLines(file).stream()
                .filter(s -> !s.isBlank()).toList();
        System.out.printf(Locale.ROOT, "%s, %d sentences per request, %d requests per client%n", target, inputs,
                requests);
        System.out.printf(Locale.ROOT, "%8s %10s %12s %10s %10s %8s%n", "clients", "requests/s", "sentences/s",
                "p50 ms", "p99 ms", "errors");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        run(http, target, pool, 2, 10, inputs, maxSeconds, false); // warm-up
        int most = 0;
        for (int c : clients) {
            run(http, target, pool, c, requests, inputs, maxSeconds, true);
            most = Math.max(most, c * requests * inputs);
        }
        if (direct) {
            directEmbed(pool, most, synthetic);
        }
    }

    private static void run(HttpClient http, URI target, List<String> pool, int clients, int requests, int inputs,
            int maxSeconds, boolean print) throws Exception {
        long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        List<Future<long[]>> threads = new ArrayList<>();
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            for (int t = 0; t < clients; t++) {
                threads.add(executor.submit(() -> {
                    long[] latencies = new long[requests];
                    int done = 0;
                    while (done < requests && System.nanoTime() < deadline) {
                        ArrayNode input = JSON.createArrayNode();
                        for (int k = 0; k < inputs; k++) {
                            input.add(pool.get(Math.floorMod(next.getAndIncrement(), pool.size())));
                        }
                        ObjectNode body = JSON.createObjectNode().put("model", "any").set("input", input);
                        HttpRequest request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        latencies[done++] = System.nanoTime() - t0;
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    }
                    return Arrays.copyOf(latencies, done);
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<long[]> f : threads) {
                for (long l : f.get()) {
                    all.add(l);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (print) {
                long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
                System.out.printf(Locale.ROOT, "%8d %10.1f %12.1f %10.2f %10.2f %8d%n", clients, sorted.length / seconds,
                        sorted.length * (double) inputs / seconds, percentile(sorted, 0.50) / 1e6,
                        percentile(sorted, 0.99) / 1e6, errors.get());
            }
        } finally {
            executor.shutdownNow();
        }
    }

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    /**
     * One in-process embed call over as many sentences as the largest run sent, with the model the server runs: the
     * bundled toy model, or {@code tp serve --synthetic}'s model when {@code synthetic} names its spec.
     */
    private static void directEmbed(List<String> pool, int count, String synthetic) {
        DjlRuntime.init();
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sentences.add(pool.get(i % pool.size()));
        }
        EncoderSettings settings = EncoderSettings.builder().model(ToyModel.directory().toString()).build();
        try (SentenceEncoder encoder = synthetic == null ? settings.open()
                : settings.open(BenchModels.synthetic(synthetic, settings.modelOptions(), 1234))) {
            encoder.embed(sentences.subList(0, Math.min(256, count)));
            double best = Double.MAX_VALUE;
            for (int pass = 0; pass < 3; pass++) {
                long t0 = System.nanoTime();
                encoder.embed(sentences);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf(Locale.ROOT, "direct embed of %d sentences in one call (%s, best of 3): %.1f"
                    + " sentences/s%n", count, synthetic == null ? "toy model" : "synthetic " + synthetic, count / best);
        }
    }

}
