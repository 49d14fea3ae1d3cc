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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
 * <p>The routes are one table ({@code EmbeddingRoutes.table()}): registration, the API key check, metrics labels and
 * the 404 message derive from it. {@link #close()} shuts down gracefully: new requests get 503, admitted ones are
 * answered, then the listener stops. An encoder the server owns ({@link #start(EncoderSettings, ServerOptions)},
 * {@link #startOwning}) is closed last.
 */
public final class EmbeddingServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
    private static final String JSON = "application/json";
    /** Marks a request that entered through {@link Admission}, so that it leaves once answered. */
    private static final String ADMITTED = "tp.admitted";

    private final SentenceEncoder encoder;
    private final boolean ownsEncoder;
    private final ServerOptions options;
    private final ServerMetrics metrics;
    private final Batcher batcher;
    private final Admission admission = new Admission();
    private final List<Route> routes;
    private final Javalin app;
    private final Object stopped = new Object();
    private final byte[] keyDigest;
    private boolean closed;

    private EmbeddingServer(SentenceEncoder encoder, boolean ownsEncoder, ServerOptions options,
            UnaryOperator<Batcher.Embedder> around) {
        this.encoder = encoder;
        this.ownsEncoder = ownsEncoder;
        this.options = options;
        this.keyDigest = options.apiKey() == null ? null : sha256(options.apiKey());
        this.metrics = new ServerMetrics();
        this.batcher = new Batcher(around.apply((sentences, v) -> encoder.embed(sentences, v.promptName(), v.dimensions())), encoder.config().maxBatchTokens(), options.maxBatchRequests(),
                options.maxConcurrentRequests(), metrics);
        metrics.queueDepth(batcher::pending);
        String modelName = options.servedModelName() != null ? options.servedModelName() : encoder.modelId();
        this.routes = new EmbeddingRoutes(encoder, batcher, metrics, options, modelName, admission).table();
        Set<String> paths = routes.stream().map(Route::path).collect(Collectors.toUnmodifiableSet());
        Set<String> open = routes.stream().filter(Route::open).map(Route::path)
                .collect(Collectors.toUnmodifiableSet());
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = options.payloadLimit();
            config.jetty.host = options.host();
            config.jetty.port = options.port();
            config.requestLogger.http((ctx, ms) -> {
                String path = ctx.path();
                metrics.request(paths.contains(path) ? path : "other", ctx.statusCode(), (long) (ms * 1e6));
                if (ctx.attribute(ADMITTED) != null) {
                    admission.leave(); // after the answer is written: a shutdown waits for it
                }
            });
            config.routes.before(ctx -> {
                ctx.header("Server", "tp-server");
                if (open.contains(ctx.path())) {
                    return;
                }
                if (!admission.enter()) {
                    throw new ApiException(503, "unhealthy", "the server is shutting down");
                }
                ctx.attribute(ADMITTED, Boolean.TRUE);
                checkKey(ctx);
            });
            for (Route route : routes) {
                config.routes.addHttpHandler(route.method(), route.path(), route.handler());
            }
            // while shutting down, clients are told not to reuse the connection, whose listener is about to close
            config.routes.after(ctx -> {
                if (admission.closed()) {
                    ctx.header("Connection", "close");
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
                            + " (routes: " + describeRoutes() + ")"));
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
     * Starts a server that takes the encoder over: {@link #close()} closes it last, once every admitted request is
     * answered.
     *
     * @param encoder the encoder
     * @param options how to listen and what to admit
     * @return the running server
     */
    public static EmbeddingServer startOwning(SentenceEncoder encoder, ServerOptions options) {
        try {
            return new EmbeddingServer(encoder, true, options, UnaryOperator.identity());
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** Like {@link #startOwning(SentenceEncoder, ServerOptions)} with the encoder calls wrapped: for tests. */
    static EmbeddingServer startOwning(SentenceEncoder encoder, ServerOptions options,
            UnaryOperator<Batcher.Embedder> around) {
        return new EmbeddingServer(encoder, true, options, around);
    }

    /**
     * Opens the encoder the settings describe and starts a server over it; {@link #close()} closes both.
     *
     * @param settings the encoder's settings
     * @param options how to listen and what to admit
     * @return the running server
     */
    public static EmbeddingServer start(EncoderSettings settings, ServerOptions options) {
        return startOwning(settings.open(), options);
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

    /** @return the routes, as {@code POST /v1/embeddings, POST /embed, GET /health, ...} */
    public String describeRoutes() {
        return routes.stream().map(Route::toString).collect(Collectors.joining(", "));
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
     * Shuts down gracefully; a JVM shutdown hook (SIGTERM) runs exactly this. In order: requests not yet admitted get
     * 503 (with {@code Connection: close}) and {@code /health} turns 503; every request admitted before is answered
     * as usual (200 when it is valid); then the listener closes (later connections are refused), and an encoder the
     * server owns is closed. Admission and the stop are atomic with each other, so no request is caught half-way, and
     * the model is never closed under a request. If admitted requests are still waiting after the shutdown timeout,
     * those not yet running get 503 and the running batch is finished. A second call waits for the first.
     */
    @Override
    public void close() {
        synchronized (stopped) {
            if (closed) {
                return;
            }
            long timeout = options.shutdownTimeoutMillis();
            if (!admission.close(timeout)) {
                int refused = batcher.refuseQueued("the server is shutting down: this request was still queued"
                        + " after the shutdown timeout of " + timeout + " ms");
                LOG.warn("shutdown: requests still running after {} ms; {} queued ones refused", timeout, refused);
                if (!admission.close(timeout)) {
                    LOG.warn("shutdown: requests still unanswered after another {} ms; stopping anyway", timeout);
                }
            }
            batcher.close(); // waits for a running batch, if the timeout left one: the model is not closed under it
            app.stop();
            if (ownsEncoder) {
                encoder.close();
            }
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
            ctx.status(e.status()).contentType(JSON).result(JsonBody.MAPPER.writeValueAsBytes(body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
