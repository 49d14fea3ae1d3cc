package io.github.tokenprepending.langchain4j;

import dev.langchain4j.data.segment.TextSegment;
import io.github.tokenprepending.SentenceEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints how long langchain4j's {@code embedAll} takes through {@link TokenPrependingEmbeddingModel} (the whole
 * list in one encoder call) against one call per segment, sequentially and on a pool of one thread per core (as
 * langchain4j's in-process models run {@code embedAll}), on the same segments, with the bundled model. Not a test.
 *
 * <pre>
 * mvn -B -q -pl tp-langchain4j -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp "tp-langchain4j/target/test-classes:tp-langchain4j/target/classes:$(cat tp-langchain4j/target/test.classpath)" \
 *     io.github.tokenprepending.langchain4j.BatchingBenchmark [SEGMENTS [ROUNDS [THREADS]]]
 * </pre>
 */
public final class BatchingBenchmark {
    private static final List<String> SENTENCES = List.of("Tom had a big red ball.",
            "Lily saw a little cat in the garden and the cat was soft and white.",
            "The sun was hot, so Ben went to swim in the blue sea with his friends.",
            "Mom made a yummy cake.",
            "Once upon a time there was a little bird who liked to sing every morning in the old tree by the river.",
            "The dog ran.", "Sue and her brother built a big castle out of sand, and then the waves came and took it.");

    private BatchingBenchmark() {
    }

    /**
     * @param args segments (default 512), rounds (default 3), threads of the pool and the engine (default: cores)
     * @throws Exception if the pool is interrupted
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(TextSegment.from(SENTENCES.get(i % SENTENCES.size()) + " (" + i + ")"));
        }
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (SentenceEncoder encoder = ToyEncoder.settings().toBuilder().threads(threads).build().open();
                TokenPrependingEmbeddingModel model = TokenPrependingEmbeddingModel.builder().encoder(encoder)
                        .build()) {
            System.out.printf(Locale.ROOT, "%d segments, %d rounds, %d threads, model %s%n", n, rounds, threads,
                    model.modelName());
            List<Runnable> ways = List.of(
                    () -> model.embedAll(segments),
                    () -> segments.forEach(model::embed),
                    () -> segments.stream().map(s -> CompletableFuture.supplyAsync(() -> model.embed(s), pool))
                            .toList().forEach(CompletableFuture::join));
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            // round 0 warms up; the ways alternate so that a busy moment of the machine hits all of them
            for (int r = 0; r <= rounds; r++) {
                for (int w = 0; w < ways.size(); w++) {
                    long t0 = System.nanoTime();
                    ways.get(w).run();
                    double ms = (System.nanoTime() - t0) / 1e6;
                    if (r > 0) {
                        best[w] = Math.min(best[w], ms);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "embedAll (one encoder call):        %8.1f ms%n", best[0]);
            System.out.printf(Locale.ROOT, "one call per segment, sequential:  %8.1f ms  (%.2fx)%n", best[1],
                    best[1] / best[0]);
            System.out.printf(Locale.ROOT, "one call per segment, %2d threads:   %8.1f ms  (%.2fx)%n", threads,
                    best[2], best[2] / best[0]);
        } finally {
            pool.shutdown();
        }
    }
}
