package io.github.tokenprepending.djl.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.tokenprepending.SentenceEncoder;
import io.github.tokenprepending.TokenPrependingEncoder;
import io.github.tokenprepending.TpConfig;
import io.github.tokenprepending.djl.DjlLayerwiseModel;
import io.github.tokenprepending.djl.DjlModelProvider;
import io.github.tokenprepending.djl.DjlModels;
import io.github.tokenprepending.djl.DjlRuntime;
import io.github.tokenprepending.djl.ReliabilityAccess;
import io.github.tokenprepending.spi.LayerwiseModel;
import io.github.tokenprepending.spi.ModelOptions;
import io.github.tokenprepending.spi.PassPlan;
import io.github.tokenprepending.spi.TokenBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One encoder, many request threads. The encoder tokenizes in the calling threads and runs one forward pass at
 * a time (a fair lock; see {@link TokenPrependingEncoder}); a call's batches depend only on its own sentences and
 * the prefix cache only on the template, so concurrent calls return exactly, bit for bit, what serial calls
 * return. Closing while calls run: each call finishes or fails with an {@link IllegalStateException}.
 *
 * <p>libtorch runs with one intra-op thread here (restored afterwards): the forward passes are serialised anyway,
 * and on a busy 2-core machine two OpenMP threads per pass are an order of magnitude slower.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrencyTest {
    private static final int THREADS = 8;

    private Path dir;
    private DjlLayerwiseModel model;
    private int torchThreads;

    @BeforeAll
    void load(@TempDir Path tmp) throws Exception {
        dir = ReliabilityAccess.writeStories260k(tmp);
        model = DjlModels.load(dir, ModelOptions.defaults());
        torchThreads = DjlRuntime.threads();
        DjlRuntime.setThreads(1);
    }

    @AfterAll
    void close() {
        model.close();
        DjlRuntime.setThreads(torchThreads);
    }

    /** Eight different requests of 1 to 40 sentences, 0 to 60 words each, some sentences shared. */
    static List<List<String>> requests() {
        Random random = new Random(42);
        List<List<String>> out = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<String> request = new ArrayList<>();
            int n = t == 0 ? 1 : 5 + random.nextInt(36);
            for (int i = 0; i < n; i++) {
                request.add(i % 7 == 3 ? "a sentence every request has." : InputEdgeCasesTest.words(random,
                        1 + random.nextInt(300)).trim());
            }
            if (t == 5) {
                request.add("");
                request.add("😀 <PST> <s> \u0000");
            }
            out.add(request);
        }
        return out;
    }

    private TpConfig config(boolean vanilla) {
        TpConfig.Builder b = TpConfig.builder().tp(1, 3).batchSize(8);
        return (vanilla ? b.vanilla() : b).build();
    }

    @ParameterizedTest(name = "vanilla={0}")
    @ValueSource(booleans = {false, true})
    void eightThreadsAtOnceGetExactlyWhatSerialCallsGet(boolean vanilla) throws Exception {
        List<List<String>> requests = requests();
        List<List<float[]>> serial = new ArrayList<>();
        try (TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config(vanilla))) {
            for (List<String> request : requests) {
                serial.add(encoder.embed(request));
            }
        }
        // a fresh encoder, so that the concurrent calls also race to build the prefix cache
        try (TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config(vanilla))) {
            CyclicBarrier start = new CyclicBarrier(THREADS);
            AtomicReferenceArray<Throwable> failures = new AtomicReferenceArray<>(THREADS);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int me = t;
                threads.add(started(() -> {
                    try {
                        start.await();
                        for (int round = 0; round < 3; round++) {
                            List<float[]> got = encoder.embed(requests.get(me));
                            for (int i = 0; i < got.size(); i++) {
                                assertThat(got.get(i)).as("thread %d round %d sentence %d", me, round, i)
                                        .containsExactly(serial.get(me).get(i));
                            }
                        }
                    } catch (Throwable e) {
                        failures.set(me, e);
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join(TimeUnit.MINUTES.toMillis(2));
                assertThat(thread.isAlive()).isFalse();
            }
            for (int t = 0; t < THREADS; t++) {
                if (failures.get(t) != null) {
                    throw new AssertionError("thread " + t, failures.get(t));
                }
            }
        }
    }

    /** The prefix cache holds the template's tokens only, never those of whichever sentence came first. */
    @ParameterizedTest(name = "vanilla={0}")
    @ValueSource(booleans = {false, true})
    void resultsDoNotDependOnWhatWasEmbeddedBefore(boolean vanilla) {
        String probe = "Once upon a time there was a girl";
        try (TokenPrependingEncoder first = new TokenPrependingEncoder(model, config(vanilla));
                TokenPrependingEncoder second = new TokenPrependingEncoder(model, config(vanilla))) {
            first.embed("xyz");
            second.embed("Once upon a time there was a girl who liked to play with her big red ball in the park");
            assertThat(first.embed(probe)).containsExactly(second.embed(probe));
            assertThat(first.embed(List.of(probe, "xyz", "one"))).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(second.embed(List.of(probe, "xyz", "one")));
        }
    }

    @Test
    void closingTheEncoderWhileCallsRunLetsThemFinishOrFailClearly() throws Exception {
        List<List<String>> requests = requests();
        List<List<float[]>> serial = new ArrayList<>();
        try (TokenPrependingEncoder reference = new TokenPrependingEncoder(model, config(false))) {
            for (List<String> request : requests) {
                serial.add(reference.embed(request));
            }
        }
        for (int round = 0; round < 3; round++) {
            TokenPrependingEncoder encoder = new TokenPrependingEncoder(model, config(false));
            List<Throwable> endings = runUntilClosed(encoder::embed, requests, serial, 8 + 10 * round,
                    encoder::close);
            assertEndedWithIllegalState(endings);
            assertThatThrownBy(() -> encoder.embed("after close")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the encoder is closed");
            assertThatThrownBy(() -> encoder.embed(List.of())).isInstanceOf(IllegalStateException.class);
            encoder.close();
            encoder.close();
        }
        // the encoder does not own the model: it still works
        try (TokenPrependingEncoder again = new TokenPrependingEncoder(model, config(false))) {
            assertThat(again.embed(requests.get(1))).usingRecursiveFieldByFieldElementComparator()
                    .containsExactlyElementsOf(serial.get(1));
        }
    }

    @Test
    void closingASentenceEncoderWhileCallsRunLetsThemFinishOrFailClearly() throws Exception {
        List<List<String>> requests = requests();
        for (int round = 0; round < 3; round++) {
            LayerwiseModel owned = new DjlModelProvider().load(dir, ModelOptions.defaults());
            SentenceEncoder encoder = SentenceEncoder.builder().model(owned).batchSize(8).build();
            List<List<float[]>> serial = new ArrayList<>();
            for (List<String> request : requests) {
                serial.add(encoder.embed(request));
            }
            List<Throwable> endings = runUntilClosed(encoder::embed, requests, serial, 8 + 10 * round,
                    encoder::close);
            assertEndedWithIllegalState(endings);
            assertThatThrownBy(() -> encoder.embed("after close")).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the encoder is closed");
            TokenBatch batch = TokenBatch.of(new int[][] {{1, 2}}, new int[] {-1});
            assertThatThrownBy(() -> owned.start(batch, PassPlan.layers(1)))
                    .as("SentenceEncoder owns its model and closed it").isInstanceOf(IllegalStateException.class)
                    .hasMessage("the model is closed");
            encoder.close();
        }
    }

    /**
     * Closing a model while an encoder that does not own it is still in use (no call running): the encoder's
     * calls fail with an IllegalStateException, and closing the encoder afterwards, then the model again, is
     * harmless. (Closing the model WHILE a call runs is the case {@link ModelCloseRaceTest} covers.)
     */
    @Test
    void closingTheModelUnderAnIdleEncoderMakesItsCallsFailClearly() throws Exception {
        DjlLayerwiseModel own = DjlModels.load(dir, ModelOptions.defaults());
        TokenPrependingEncoder encoder = new TokenPrependingEncoder(own, config(false));
        Fixtures.assertFinite(encoder.embed("before"), "before");
        own.close();
        assertThatThrownBy(() -> encoder.embed("after"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("sentence 0: the tokenizer is closed (closing a model closes its tokenizer)");
        assertThatThrownBy(() -> encoder.tokenize("after")).isInstanceOf(IllegalStateException.class);
        TokenBatch batch = TokenBatch.of(new int[][] {{1, 2}}, new int[] {-1});
        assertThatThrownBy(() -> own.start(batch, PassPlan.layers(1))).isInstanceOf(IllegalStateException.class)
                .hasMessage("the model is closed");
        encoder.close();
        encoder.close();
        own.close();
    }

    /**
     * Eight threads call {@code embed} in a loop (each result must equal the serial one) until {@code close}
     * runs, which happens once {@code callsBeforeClose} calls have completed.
     *
     * @return how each thread ended
     */
    private static List<Throwable> runUntilClosed(Function<List<String>, List<float[]>> embed,
            List<List<String>> requests, List<List<float[]>> serial, int callsBeforeClose, Runnable close)
            throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(1);
        List<Throwable> endings = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (int t = 0; t < THREADS; t++) {
            int me = t;
            threads.add(started(() -> {
                try {
                    while (System.nanoTime() < deadline) {
                        List<float[]> got = embed.apply(requests.get(me));
                        for (int i = 0; i < got.size(); i++) {
                            assertThat(got.get(i)).as("thread %d sentence %d", me, i)
                                    .containsExactly(serial.get(me).get(i));
                        }
                        if (calls.incrementAndGet() >= callsBeforeClose) {
                            enough.countDown();
                        }
                    }
                    endings.add(new AssertionError("thread " + me + " was never stopped by close()"));
                } catch (Throwable e) {
                    endings.add(e);
                }
            }));
        }
        assertThat(enough.await(2, TimeUnit.MINUTES)).isTrue();
        close.run();
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(thread.isAlive()).isFalse();
        }
        return endings;
    }

    private static Thread started(Runnable body) {
        Thread thread = new Thread(body);
        thread.start();
        return thread;
    }

    private static void assertEndedWithIllegalState(List<Throwable> endings) {
        assertThat(endings).hasSize(THREADS);
        for (Throwable e : endings) {
            if (!(e instanceof IllegalStateException) || !e.getMessage().contains("closed")) {
                throw new AssertionError("a call ended with something else than a clear IllegalStateException", e);
            }
        }
    }
}
