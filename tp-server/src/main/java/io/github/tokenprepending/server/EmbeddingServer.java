package io.github.tokenprepending.server;

import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.server.batch.Batcher;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP embedding server over one {@link SentenceEncoder}: OpenAI's {@code POST /v1/embeddings}, TEI's
 * {@code POST /embed}, {@code GET /health}, {@code GET /info} and {@code GET /metrics} (Prometheus), with concurrent
 * requests merged into encoder calls by a {@link Batcher}.
 *
 * <pre>{@code
 * try (SentenceEncoder encoder = settings.open();
 *      EmbeddingServer server = EmbeddingServer.start(encoder, ServerOptions.builder().port(8080).build())) {
 *     server.awaitShutdown();
 * }
 * }</pre>
 *
 * <p>{@link #close()} shuts down gracefully: new requests get 503, admitted ones are answered, then the listener
 * stops. An encoder the server opened itself ({@link #start(EncoderSettings, ServerOptions)}) is closed last.
 */
public final class EmbeddingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
    private static final Set<String> ROUTES = Set.of("/v1/embeddings", "/embed", "/health", "/info", "/metrics");
    private static final String JSON = "application/json";

    private final SentenceEncoder encoder;
    private final boolean ownsEncoder;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final Batcher batcher;
    private final Javalin app;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object stopped = new Object();
    private final byte[] keyDigest;
    private volatile boolean shuttingDown;
    private boolean closed;

    private EmbeddingServer(SentenceEncoder encoder, boolean ownsEncoder, ServerOptions options,
            UnaryOperator<Batcher.Embedder> around) {
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.options = options;
        this.keyDigest = options.apiKey() == null ? null : sha256(options.apiKey());
        this.metrics = new ServerMetrics();
        this.batcher = new Batcher(around.apply(encoder::embed), encoder.config().maxBatchTokens(), options.maxBatchRequests(),
                options.maxConcurrentRequests(), metrics);
        metrics.queueDepth(batcher::pending);
        String modelName = options.servedModelName() != null ? options.servedModelName() : encoder.modelId();
        EmbeddingRoutes routes = new EmbeddingRoutes(encoder, batcher, metrics, options, modelName);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = options.payloadLimit();
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.requestLogger.http((ctx, ms) -> {
                inFlight.decrementAndGet();
                String path = ctx.path();
                metrics.request(ROUTES.contains(path) ? path : "other", ctx.statusCode(), (long) (ms * 1e6));
            });
            config.routes.before(ctx -> {
                inFlight.incrementAndGet();
                ctx.header("Server", "tp-server");
                if (ctx.path().equals("/health")) {
                    return;
                }
                if (shuttingDown) {
                    throw new ApiException(503, "unhealthy", "the server is shutting down");
                }
                checkKey(ctx);
            });
            config.routes.post("/v1/embeddings", routes::openAi);
            config.routes.post("/embed", routes::tei);
            config.routes.get("/info", routes::info);
            config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            config.routes.get("/health", ctx -> {
                if (shuttingDown) {
                    error(ctx, new ApiException(503, "unhealthy", "the server is shutting down"));
                } else {
                    ctx.contentType(JSON).result("{\"status\":\"ok\"}");
                }
            });
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, new ApiException(
                    e.getStatus(), e.getStatus() == 413 ? "validation" : "http", e.getMessage())));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.warn("request {} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, new ApiException(500, "backend", "internal error: " + e.getClass().getSimpleName()));
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.result() == null || !JSON.equals(ctx.contentType())) {
                    error(ctx, new ApiException(404, "not_found", "no route " + ctx.method() + " " + ctx.path()
                            + " (routes: POST /v1/embeddings, POST /embed, GET /health, GET /info, GET /metrics)"));
                }
            });
            config.routes.error(405, "*", ctx -> error(ctx, new ApiException(405, "validation", "method "
                    + ctx.method() + " is not allowed on " + ctx.path())));
        });
        app.start();
    }

    /**
     * Starts a server over an encoder the caller owns (and closes after the server).
     *
     * @param encoder the encoder
     * @param options how to listen and what to admit
     * @return the running server
     */
    public static EmbeddingServer start(SentenceEncoder encoder, ServerOptions options) {
        return new EmbeddingServer(encoder, false, options, UnaryOperator.identity());
    }

    /** Like {@link #start(SentenceEncoder, ServerOptions)} with the encoder calls wrapped: for tests. */
    static EmbeddingServer start(SentenceEncoder encoder, ServerOptions options, UnaryOperator<Batcher.Embedder> around) {
        return new EmbeddingServer(encoder, false, options, around);
    }

    /**
     * Opens the encoder the settings describe and starts a server over it; {@link #close()} closes both.
     *
     * @param settings the encoder's settings
     * @param options how to listen and what to admit
     * @return the running server
     */
    public static EmbeddingServer start(EncoderSettings settings, ServerOptions options) {
        SentenceEncoder encoder = settings.open();
        try {
            return new EmbeddingServer(encoder, true, options, UnaryOperator.identity());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** @return the port it listens on */
    public int port() {
        return app.port();
    }

    /** @return {@code http://host:port} */
    public String baseUrl() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + port();
    }

    /** @return the metrics in the Prometheus text format, as {@code GET /metrics} gives them */
    public String metricsText() {
        return metrics.scrape();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitShutdown() throws InterruptedException {
        synchronized (stopped) {
            while (!closed) {
                stopped.wait();
            }
        }
    }

    /**
     * Shuts down gracefully: new requests get 503, admitted requests are answered (up to the shutdown timeout), the
     * listener stops, and an encoder opened by the server is closed.
     */
    @Override
    public void close() {
        synchronized (stopped) {
            if (closed) {
                return;
            }
        }
        shuttingDown = true;
        long timeout = options.shutdownTimeoutMillis();
        long start = System.nanoTime();
        if (!batcher.drain(timeout)) {
            LOG.warn("shutdown: {} requests still running after {} ms", batcher.pending(), timeout);
        }
        while (inFlight.get() > 0 && (System.nanoTime() - start) / 1_000_000 < timeout) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        batcher.close();
        if (ownsEncoder) {
            encoder.close();
        }
        synchronized (stopped) {
            closed = true;
            stopped.notifyAll();
        }
    }

    private void checkKey(Context ctx) {
        if (keyDigest == null) {
            return;
        }
        String header = ctx.header("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
                : "";
        // digests have equal lengths, so the comparison takes the same time whatever was sent
        if (!MessageDigest.isEqual(keyDigest, sha256(given))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiException(401, "authentication", header == null ? "missing Authorization: Bearer <key>"
                    : "invalid API key");
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void error(Context ctx, ApiException e) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", e.getMessage());
        body.put("error_type", e.type());
        try {
            ctx.status(e.status()).contentType(JSON).result(EmbeddingRoutes.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
