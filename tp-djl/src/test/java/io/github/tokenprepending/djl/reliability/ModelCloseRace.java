package io.github.tokenprepending.djl.reliability;

import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.spi.ModelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * Run in a child JVM by {@link ModelCloseRaceTest}: eight threads embed through a {@link TokenPrependingEncoder}
 * while the main thread closes the MODEL (not the encoder) under them, for a number of rounds. Prints one
 * {@code OUTCOME} line per distinct way a call ended and {@code SURVIVED} at the end; a native crash kills the
 * JVM before that.
 */
public final class ModelCloseRace {
    private ModelCloseRace() {
    }

    /**
     * @param args number of rounds
     * @throws Exception if the set-up fails
     */
    public static void main(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[0]);
        DjlRuntime.setThreads(1);
        Path dir = ReliabilityAccess.writeStories260k(Files.createTempDirectory("tp-model-close-race"));
        List<String> sentences = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sentences.add("the cat number " + i + " saw a dog");
        }
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int round = 0; round < rounds; round++) {
            DjlLayerwiseModel model = DjlModels.load(dir, ModelOptions.defaults());
            TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, TpConfig.builder().tp(1, 3)
                    .batchSize(8).build());
            encoder.embed(sentences.subList(0, 2));
            CountDownLatch started = new CountDownLatch(8);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Thread thread = new Thread(() -> {
                    started.countDown();
                    while (true) {
                        try {
                            encoder.embed(sentences);
                        } catch (RuntimeException e) {
                            String what = e.getClass().getName() + ": " + e.getMessage()
                                    .replaceAll("sentence \\d+", "sentence N");
                            synchronized (outcomes) {
                                outcomes.merge(what, 1, Integer::sum);
                            }
                            return;
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
            started.await();
            Thread.sleep(5 + round % 40);
            model.close();
            for (Thread t : threads) {
                t.join();
            }
            encoder.close();
        }
        Fixtures.deleteTree(dir);
        outcomes.forEach((k, v) -> System.out.println("OUTCOME " + v + " x " + k));
        System.out.println("SURVIVED");
    }
}
