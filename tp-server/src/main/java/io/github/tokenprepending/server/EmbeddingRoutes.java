package io.github.tokenprepending.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.Setting;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.server.batch.Batcher;
import io.github.tokenprepending.spi.ModelInfo;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The server's route table and its handlers: each request is read into its API's typed record ({@link OpenAiRequest},
 * {@link TeiRequest}), sized, handed to the batcher, and answered in its API's shape.
 */
final class EmbeddingRoutes {
    private static final String JSON = "application/json";

    private final SentenceEncoder encoder;
    private final Batcher batcher;
    private final ServerMetrics metrics;
    private final ServerOptions options;
    private final String modelName;
    private final Admission admission;
    private final EmbeddingRequest.Limits limits;

    /** Sentences checked and sized: the batcher's token budget and the usage report, and how they are embedded. */
    private record Job(List<String> sentences, Batcher.Variant variant, long promptTokens, long sentenceTokens) {
    }

    EmbeddingRoutes(SentenceEncoder encoder, Batcher batcher, ServerMetrics metrics, ServerOptions options,
            String modelName, Admission admission) {
        this.encoder = encoder;
        this.batcher = batcher;
        this.metrics = metrics;
        this.options = options;
        this.modelName = modelName;
        this.admission = admission;
        this.limits = new EmbeddingRequest.Limits(options.maxClientBatchSize(), encoder.dimension());
    }

    /** @return every route the server answers: the one list that registration, metrics and messages derive from */
    List<Route> table() {
        return List.of(
                Route.post("/v1/embeddings", this::openAi),
                Route.post("/embed", this::tei),
                new Route(HandlerType.GET, "/health", true, this::health),
                Route.get("/info", this::info),
                Route.get("/metrics", this::metrics));
    }

    /** {@code POST /v1/embeddings}: OpenAI's request and response. */
    void openAi(Context ctx) {
        OpenAiRequest request = OpenAiRequest.parse(JsonBody.read(ctx, options.payloadLimit()), limits);
        Job job = prepare(request);
        respond(ctx, job, vectors -> json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                if (request.base64()) {
                    g.writeString(base64(vectors.get(i)));
                } else {
                    writeVector(g, vectors.get(i));
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("model", modelName);
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", job.sentenceTokens());
            g.writeNumberField("total_tokens", job.sentenceTokens());
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    /**
     * {@code POST /embed}: TEI's request ({@code inputs}, {@code normalize}, {@code truncate}, {@code prompt_name}) and
     * response.
     */
    void tei(Context ctx) {
        TeiRequest request = TeiRequest.parse(JsonBody.read(ctx, options.payloadLimit()), limits);
        Job job = prepare(request);
        respond(ctx, job, vectors -> json(ctx, g -> {
            g.writeStartArray();
            for (float[] v : vectors) {
                writeVector(g, request.normalize() ? normalized(v) : v);
            }
            g.writeEndArray();
        }));
    }

    /** {@code GET /health}: ok, or 503 once the server is shutting down. */
    void health(Context ctx) {
        if (admission.closed()) {
            throw new ApiException(503, "unhealthy", "the server is shutting down");
        }
        ctx.contentType(JSON).result("{\"status\":\"ok\"}");
    }

    /** {@code GET /metrics}: the Prometheus text format. */
    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    /**
     * {@code GET /info}: the served model, its effective configuration, and under {@code settings} every encoder
     * setting of {@link EncoderSettings#ALL} in snake case with the value it was opened with (null: unset).
     */
    void info(Context ctx) {
        ModelInfo model = encoder.modelInfo();
        TpConfig config = encoder.config();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_id", modelName);
        info.put("family", model.family());
        info.put("model_type", model.modelType());
        info.put("dimension", encoder.dimension());
        info.put("layers", model.numLayers());
        info.put("layers_run", encoder.layersRun());
        info.put("preset", encoder.preset() == null ? "default" : encoder.preset().name());
        info.put("token_prepending", config.isVanilla() ? null
                : Map.of("start", config.tp().start(), "exit", config.tp().exit()));
        info.put("output_layer", config.outputLayer().toString());
        info.put("prompt", config.prompts().name());
        info.put("dtype", String.valueOf(model.dtype()));
        info.put("dtype_reason", model.dtypeReason());
        info.put("weights_dtype", String.valueOf(model.weightsDtype()));
        info.put("widened_layers", model.widenedLayers());
        info.put("device", model.device());
        info.put("normalize", config.normalize());
        info.put("max_tokens", encoder.maxTokens());
        info.put("max_batch_tokens", config.maxBatchTokens());
        info.put("max_batch_requests", options.maxBatchRequests() == Integer.MAX_VALUE ? null
                : options.maxBatchRequests());
        info.put("max_concurrent_requests", options.maxConcurrentRequests());
        info.put("max_client_batch_size", options.maxClientBatchSize());
        info.put("payload_limit", options.payloadLimit());
        info.put("auto_truncate", options.autoTruncate());
        Map<String, Object> settings = new LinkedHashMap<>();
        for (Setting<?> setting : EncoderSettings.ALL) {
            settings.put(setting.kebabName().replace('-', '_'), encoder.settings().get(setting));
        }
        info.put("settings", settings);
        try {
            ctx.contentType(JSON).result(JsonBody.MAPPER.writeValueAsBytes(info));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sizes every input; one over the encoder's token limit is refused unless it may be cut. */
    private Job prepare(EmbeddingRequest request) {
        try {
            encoder.checkPromptName(request.promptName());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(422, "prompt_name: " + e.getMessage());
        }
        List<String> inputs = request.inputs();
        String field = request.inputField();
        boolean truncate = request.truncate() != null ? request.truncate() : options.autoTruncate();
        int max = encoder.maxTokens();
        int template = request.promptName() == null ? encoder.templateTokens()
                : encoder.promptTokens("", request.promptName());
        long prompt = 0;
        long sentence = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String s = inputs.get(i);
            int n = encoder.promptTokens(s, request.promptName());
            if (n > max && !truncate) {
                throw ApiException.validation(413, (inputs.size() == 1 ? field : field + "[" + i + "]") + " has " + n
                        + " tokens with its prompt, over the limit of " + max + " (--max-tokens); shorten it or"
                        + " ask for truncation (" + (request instanceof TeiRequest ? "\"truncate\": true or " : "")
                        + "--auto-truncate)");
            }
            prompt += Math.min(n, max);
            sentence += Math.max(0, n - template); // as encoder.countTokens(s), tokenizing once
        }
        return new Job(inputs, new Batcher.Variant(request.promptName(), request.dimensions()), prompt, sentence);
    }

    private void respond(Context ctx, Job job, Consumer<List<float[]>> write) {
        CompletableFuture<List<float[]>> result;
        try {
            result = batcher.submit(job.sentences(), job.variant(), job.promptTokens());
        } catch (Batcher.Rejected e) {
            throw e.shuttingDown() ? new ApiException(503, "unhealthy", e.getMessage())
                    : new ApiException(429, "overloaded", e.getMessage() + " (--max-concurrent-requests)");
        }
        ctx.future(() -> result.handle((vectors, failure) -> {
            if (failure == null) {
                metrics.embedded(vectors.size(), job.sentenceTokens());
                write.accept(vectors);
            } else {
                EmbeddingServer.error(ctx, failed(failure));
            }
            return null;
        }));
    }

    private static ApiException failed(Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (e instanceof Batcher.Rejected r && r.shuttingDown()) {
            return new ApiException(503, "unhealthy", e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return ApiException.validation(422, "cannot embed the input: " + e.getMessage());
        }
        return new ApiException(500, "backend", "the encoder failed: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage().strip().split("\\R", 2)[0]));
    }

    /** Writes a JSON body. */
    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void json(Context ctx, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = JsonBody.MAPPER.getFactory().createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.contentType(JSON).result(out.toByteArray());
    }

    private static void writeVector(JsonGenerator g, float[] v) throws IOException {
        g.writeStartArray();
        for (float x : v) {
            g.writeNumber(x);
        }
        g.writeEndArray();
    }

    /** @return the vector as little-endian float32 bytes in base64, as OpenAI's {@code encoding_format=base64} */
    static String base64(float[] v) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private static float[] normalized(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        if (sum == 0) {
            return v;
        }
        float[] out = new float[v.length];
        double scale = 1 / Math.sqrt(sum);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] * scale);
        }
        return out;
    }
}
