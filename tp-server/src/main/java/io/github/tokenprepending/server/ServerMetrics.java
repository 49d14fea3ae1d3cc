package io.github.tokenprepending.server;

import io.github.tokenprepending.server.batch.Batcher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** The server's meters, exposed in the Prometheus text format. */
final class ServerMetrics implements Batcher.Listener {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final DistributionSummary batchSize;
    private final DistributionSummary batchRequests;
    private final DistributionSummary batchTokens;
    private final Counter sentences;
    private final Counter tokens;

    ServerMetrics() {
        batchSize = DistributionSummary.builder("tp.batch.size").description("sentences per encoder call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024).register(registry);
        batchRequests = DistributionSummary.builder("tp.batch.requests").description("requests per encoder call")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512).register(registry);
        batchTokens = DistributionSummary.builder("tp.batch.tokens").description("prompt tokens per encoder call")
                .serviceLevelObjectives(64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536)
                .register(registry);
        sentences = Counter.builder("tp.embedded.sentences").description("sentences embedded and answered")
                .register(registry);
        tokens = Counter.builder("tp.embedded.tokens").description("sentence tokens embedded and answered")
                .register(registry);
    }

    void queueDepth(IntSupplier depth) {
        Gauge.builder("tp.queue.depth", depth::getAsInt).description("requests queued or running").register(registry);
    }

    @Override
    public void batch(int requests, int sentenceCount, long tokenCount) {
        batchRequests.record(requests);
        batchSize.record(sentenceCount);
        batchTokens.record(tokenCount);
    }

    void embedded(int sentenceCount, long tokenCount) {
        sentences.increment(sentenceCount);
        tokens.increment(tokenCount);
    }

    void request(String route, int status, long nanos) {
        Timer.builder("tp.http.requests").description("HTTP requests by route and status").tag("route", route)
                .tag("status", Integer.toString(status)).serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    String scrape() {
        return registry.scrape();
    }
}
