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
 * list in one encoder call) against one call per segment, sequentially and on a pool of one thread per core (how
 * langchain4j's in-process models run {@code embedAll}), on the same segments, with the bundled model. Not a test.
 *
 * <pre>
 * mvn -B -q -pl tp-langchain4j -am test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
 * java -cp "tp-langchain4j/target/test-classes:tp-langchain4j/target/classes:$(cat tp-langchain4j/target/test.classpath)" \
 *     io.github.tokenprepending.langchain4j.BatchingBenchmark [SEGMENTS [ROUNDS]]
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
     * @param args segments (default 512), rounds (default 3)
     * @throws Exception if the pool is interrupted
     */
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 512;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        List<TextSegment> segments = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            segments.add(TextSegment.from(SENTENCES.get(i % SENTENCES.size()) + " (" + i + ")"));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(cores);
        try (SentenceEncoder encoder = ToyEncoder.settings().toBuilder().threads(cores).build().open();
                TokenPrependingEmbeddingModel model = TokenPrependingEmbeddingModel.builder().encoder(encoder)
                        .build()) {
            System.out.printf(Locale.ROOT, "%d segments, %d rounds, %d cores, model %s%n", n, rounds, cores,
                    model.modelName());
            model.embedAll(segments.subList(0, Math.min(64, n)));
            double whole = best(rounds, () -> model.embedAll(segments));
            double sequential = best(rounds, () -> segments.forEach(model::embed));
            double pooled = best(rounds, () -> segments.stream()
                    .map(s -> CompletableFuture.supplyAsync(() -> model.embed(s), pool)).toList()
                    .forEach(CompletableFuture::join));
            System.out.printf(Locale.ROOT, "embedAll (one encoder call):        %8.1f ms%n", whole);
            System.out.printf(Locale.ROOT, "one call per segment, sequential:  %8.1f ms  (%.1fx)%n", sequential,
                    sequential / whole);
            System.out.printf(Locale.ROOT, "one call per segment, %2d threads:   %8.1f ms  (%.1fx)%n", cores, pooled,
                    pooled / whole);
        } finally {
            pool.shutdown();
        }
    }

    private static double best(int rounds, Runnable work) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e6);
        }
        return best;
    }
}
