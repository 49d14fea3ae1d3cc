package io.github.tokenprepending.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.tokenprepending.EncoderSettings;
import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.Setting;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.server.batch.Batcher;
import io.github.tokenprepending.spi.ModelInfo;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/** The routes' request parsing, checks and response bodies; the batcher does the embedding. */
final class EmbeddingRoutes {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";

    private final SentenceEncoder encoder;
    private final Batcher batcher;
    private final ServerMetrics metrics;
    private final ServerOptions options;
    private final String modelName;

    /** Sentences checked and sized: the batcher's token budget and the usage report. */
    private record Job(List<String> sentences, long promptTokens, long sentenceTokens) {
    }

    EmbeddingRoutes(SentenceEncoder encoder, Batcher batcher, ServerMetrics metrics, ServerOptions options,
            String modelName) {
        this.encoder = encoder;
        this.batcher = batcher;
        this.metrics = metrics;
        this.options = options;
        this.modelName = modelName;
    }

    /** {@code POST /v1/embeddings}: OpenAI's request and response. */
    void openAi(Context ctx) {
        ObjectNode body = readBody(ctx);
        List<String> inputs = inputs(body, "input");
        String format = "float";
        JsonNode f = body.get("encoding_format");
        if (f != null && !f.isNull()) {
            if (!f.isTextual() || !(f.asText().equals("float") || f.asText().equals("base64"))) {
                throw ApiException.validation(422, "encoding_format must be \"float\" or \"base64\", got " + f);
            }
            format = f.asText();
        }
        JsonNode d = body.get("dimensions");
        if (d != null && !d.isNull() && !(d.isIntegralNumber() && d.asInt() == encoder.dimension())) {
            throw ApiException.validation(422, "dimensions: this model gives " + encoder.dimension()
                    + "-dimensional embeddings only, got " + d);
        }
        boolean base64 = format.equals("base64");
        Job job = prepare(inputs, "input", options.autoTruncate());
        respond(ctx, job, vectors -> json(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("object", "list");
            g.writeArrayFieldStart("data");
            for (int i = 0; i < vectors.size(); i++) {
                g.writeStartObject();
                g.writeStringField("object", "embedding");
                g.writeNumberField("index", i);
                g.writeFieldName("embedding");
                if (base64) {
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

    /** {@code POST /embed}: TEI's request ({@code inputs}, {@code normalize}, {@code truncate}) and response. */
    void tei(Context ctx) {
        ObjectNode body = readBody(ctx);
        List<String> inputs = inputs(body, "inputs");
        boolean normalize = flag(body, "normalize", true);
        boolean truncate = flag(body, "truncate", options.autoTruncate());
        Job job = prepare(inputs, "inputs", truncate);
        respond(ctx, job, vectors -> json(ctx, g -> {
            g.writeStartArray();
            for (float[] v : vectors) {
                writeVector(g, normalize ? normalized(v) : v);
            }
            g.writeEndArray();
        }));
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
            ctx.contentType(JSON).result(MAPPER.writeValueAsBytes(info));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode readBody(Context ctx) {
        long limit = options.payloadLimit();
        if (ctx.contentLength() > limit) {
            throw tooLarge(ctx.contentLength());
        }
        byte[] bytes;
        try (InputStream in = ctx.bodyInputStream()) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        } catch (IOException e) {
            throw ApiException.validation(400, "cannot read the request body: " + e.getMessage());
        }
        if (bytes.length > limit) {
            throw tooLarge(-1);
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw ApiException.validation(400, "the request body is not valid JSON: " + describe(e));
        }
        if (node == null || node.isMissingNode()) {
            throw ApiException.validation(400, "the request body is empty: send a JSON object");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.validation(422, "the request body must be a JSON object, got " + node.getNodeType()
                    .toString().toLowerCase(java.util.Locale.ROOT));
        }
        return object;
    }

    private static String describe(IOException e) {
        if (e instanceof JsonProcessingException p && p.getLocation() != null) {
            return p.getOriginalMessage() + " (line " + p.getLocation().getLineNr() + ", column "
                    + p.getLocation().getColumnNr() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    private ApiException tooLarge(long length) {
        return new ApiException(413, "validation", "the request body" + (length > 0 ? " (" + length + " bytes)" : "")
                + " is over the payload limit of " + options.payloadLimit() + " bytes (--payload-limit)");
    }

    private List<String> inputs(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.validation(422, "missing field '" + field + "': a string or an array of strings");
        }
        List<String> inputs = new ArrayList<>();
        if (node.isTextual()) {
            inputs.add(node.asText());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                if (!item.isTextual()) {
                    throw ApiException.validation(422, field + "[" + i + "] must be a string, got "
                            + (item.isArray() || item.isNumber() ? "token ids (not supported: send text)"
                                    : item.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
                }
                inputs.add(item.asText());
            }
        } else {
            throw ApiException.validation(422, field + " must be a string or an array of strings, got "
                    + node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        if (inputs.isEmpty()) {
            throw new ApiException(400, "empty", field + " is empty: send at least one string");
        }
        if (inputs.size() > options.maxClientBatchSize()) {
            throw ApiException.validation(413, field + " has " + inputs.size() + " items, over the limit of "
                    + options.maxClientBatchSize() + " per request (--max-client-batch-size)");
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isEmpty()) {
                throw new ApiException(400, "empty", (node.isArray() ? field + "[" + i + "]" : field)
                        + " is an empty string");
            }
        }
        return inputs;
    }

    private static boolean flag(ObjectNode body, String field, boolean fallback) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw ApiException.validation(422, field + " must be true or false, got " + node);
        }
        return node.asBoolean();
    }

    /** Sizes every input; one over the encoder's token limit is refused unless it may be cut. */
    private Job prepare(List<String> inputs, String field, boolean truncate) {
        int max = encoder.maxTokens();
        long prompt = 0;
        long sentence = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String s = inputs.get(i);
            int n = encoder.promptTokens(s);
            if (n > max && !truncate) {
                throw ApiException.validation(413, (inputs.size() == 1 ? field : field + "[" + i + "]") + " has " + n
                        + " tokens with its prompt, over the limit of " + max + " (--max-tokens); shorten it or"
                        + " ask for truncation (" + (field.equals("inputs") ? "\"truncate\": true or " : "")
                        + "--auto-truncate)");
            }
            prompt += Math.min(n, max);
            sentence += Math.max(0, n - encoder.templateTokens()); // as encoder.countTokens(s), tokenizing once
        }
        return new Job(inputs, prompt, sentence);
    }

    private void respond(Context ctx, Job job, Consumer<List<float[]>> write) {
        CompletableFuture<List<float[]>> result;
        try {
            result = batcher.submit(job.sentences(), job.promptTokens());
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
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
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
