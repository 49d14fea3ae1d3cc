package io.github.tokenprepending.cli;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.bench.BenchModels;
import io.github.tokenprepending.models.ToyModel;
import io.github.tokenprepending.server.EmbeddingServer;
import io.github.tokenprepending.server.ServerOptions;
import io.github.tokenprepending.spi.LayerwiseModel;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code tp serve}: the embedding server (OpenAI's /v1/embeddings, TEI's /embed, health, info, metrics). */
@Command(name = "serve", abbreviateSynopsis = true,
        description = {"Serve embeddings over HTTP until stopped (Ctrl-C or SIGTERM: queued requests are answered).",
            "",
            "Routes: POST /v1/embeddings (OpenAI), POST /embed (text-embeddings-inference), GET /health, GET /info,"
                    + " GET /metrics (Prometheus). Concurrent requests are merged into encoder calls of at most"
                    + " --max-batch-tokens tokens."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for every interface)")
    String host;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080", description = "port (default 8080; 0: any)")
    int port;

    @Option(names = "--served-model-name", paramLabel = "NAME",
            description = "model name in responses and /info (default: --model, or the toy model's name)")
    String servedModelName;

    @Option(names = "--max-batch-requests", paramLabel = "N",
            description = "most requests merged into one encoder call; 1 turns batching off (default: no limit)")
    Integer maxBatchRequests;

    @Option(names = "--max-concurrent-requests", paramLabel = "N", defaultValue = "512",
            description = "most requests queued or running; more get 429 (default 512)")
    int maxConcurrentRequests;

    @Option(names = "--max-client-batch-size", paramLabel = "N", defaultValue = "32",
            description = "most inputs per request; more get 413 (default 32)")
    int maxClientBatchSize;

    @Option(names = "--payload-limit", paramLabel = "BYTES", defaultValue = "2000000",
            description = "most bytes per request body; more get 413 (default 2000000)")
    long payloadLimit;

    @Option(names = "--auto-truncate",
            description = "cut inputs over --max-tokens instead of answering 413")
    boolean autoTruncate;

    @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:TP_API_KEY}",
            description = "require Authorization: Bearer KEY on every route but /health (default: TP_API_KEY;"
                    + " none: no key)")
    String apiKey;

    @Option(names = "--synthetic", paramLabel = "SPEC",
            description = "serve a random-weight benchmark model instead of --model (as tp bench --synthetic, e.g."
                    + " llama:hidden=512,layers=8,heads=8,intermediate=1376,vocab=32001): for load tests only")
    String synthetic;

    @Mixin
    EncoderOptions options;

    @Override
    public Integer call() throws InterruptedException {
        ServerOptions serverOptions;
        try {
            serverOptions = ServerOptions.builder().host(host).port(port)
                    .servedModelName(servedModelName != null ? servedModelName
                            : synthetic != null ? "synthetic " + synthetic
                            : options.settings().model() != null ? options.settings().model() : ToyModel.NAME)
                    .maxBatchRequests(maxBatchRequests == null ? Integer.MAX_VALUE : maxBatchRequests)
                    .maxConcurrentRequests(maxConcurrentRequests).maxClientBatchSize(maxClientBatchSize)
                    .payloadLimit(payloadLimit).autoTruncate(autoTruncate).apiKey(apiKey).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SentenceEncoder encoder = synthetic == null ? options.open() : openSynthetic();
        EmbeddingServer server = EmbeddingServer.startOwning(encoder, serverOptions);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("tp serve: shutting down (answering queued requests)");
            server.close(); // the path ShutdownTest races: admitted requests answered, then the model closed
        }, "tp-serve-shutdown"));
        String name = synthetic != null ? "synthetic " + synthetic : options.modelName();
        System.err.println("tp serve: " + name + " on " + server.baseUrl() + " (dimension "
                + encoder.dimension() + "; " + server.describeRoutes()
                + (serverOptions.apiKey() == null ? "" : "; API key required") + ")");
        server.awaitShutdown();
        return 0;
    }

    private SentenceEncoder openSynthetic() {
        if (options.settings().model() != null) {
            throw new ParameterException(spec.commandLine(), "--synthetic replaces the model: drop --model");
        }
        LayerwiseModel model;
        try {
            model = BenchModels.synthetic(synthetic, options.modelOptions(), 1234);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--synthetic: " + e.getMessage());
        }
        return options.open(model);
    }
}
