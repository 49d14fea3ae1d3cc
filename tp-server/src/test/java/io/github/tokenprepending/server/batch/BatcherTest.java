package io.github.tokenprepending.server.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BatcherTest {
    /** Encodes a sentence as a one-element vector holding its length; "bad" sentences fail; records every call. */
    private final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    private final Batcher.Embedder lengths = (sentences, variant) -> {
        calls.add(List.copyOf(sentences));
        if (sentences.stream().anyMatch(s -> s.startsWith("bad"))) {
            throw new IllegalArgumentException("cannot embed a bad sentence");
        }
        return sentences.stream().map(s -> new float[] {s.length()}).toList();
    };
    private final List<long[]> batches = Collections.synchronizedList(new ArrayList<>());
    private final Batcher.Listener recording = (requests, sentences, tokens) ->
            batches.add(new long[] {requests, sentences, tokens});

    /** {@link #lengths} that signals when a call starts and holds it until released. */
    private final class Gate implements Batcher.Embedder {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public List<float[]> embed(List<String> sentences, Batcher.Variant variant) {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return lengths.embed(sentences, variant);
        }
    }

    private static float[] values(List<float[]> vectors) {
        float[] out = new float[vectors.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vectors.get(i)[0];
        }
        return out;
    }

    @Test
    void mergesQueuedRequestsInOrderUpToTheTokenBudgetAndSplitsTheResultsBack() throws Exception {
        Batcher b = new Batcher(lengths, 10, 100, 100, recording, false);
        CompletableFuture<List<float[]>> r1 = b.submit(List.of("a", "bb"), 4);
        CompletableFuture<List<float[]>> r2 = b.submit(List.of("ccc"), 5);
        CompletableFuture<List<float[]>> r3 = b.submit(List.of("dddd", "eeeee", "f"), 3);

        assertThat(b.runNextBatch()).isEqualTo(2); // 4 + 5 fit 10 tokens, + 3 would not
        assertThat(calls).containsExactly(List.of("a", "bb", "ccc"));
        assertThat(values(r1.get())).containsExactly(1, 2);
        assertThat(values(r2.get())).containsExactly(3);
        assertThat(r3).isNotDone();

        assertThat(b.runNextBatch()).isEqualTo(1);
        assertThat(values(r3.get())).containsExactly(4, 5, 1);
        assertThat(b.runNextBatch()).isZero();
        assertThat(batches).containsExactly(new long[] {2, 3, 9}, new long[] {1, 3, 3});
        assertThat(b.pending()).isZero();
    }

    @Test
    void aRequestsSlotIsFreedBeforeItsAnswerArrives() throws Exception {
        Batcher b = new Batcher(lengths, 10, 100, 1, recording, false);
        CompletableFuture<List<float[]>> first = b.submit(List.of("a"), 1);
        java.util.concurrent.atomic.AtomicInteger pendingAtAnswer = new java.util.concurrent.atomic.AtomicInteger(-1);
        // runs on the answering thread the moment the answer completes, as a client's next request would
        CompletableFuture<Void> next = first.thenRun(() -> pendingAtAnswer.set(b.pending()));

        b.runNextBatch();
        next.get();
        assertThat(pendingAtAnswer).hasValue(0);
        assertThat(b.submit(List.of("b"), 1)).isNotNull();
    }

    @Test
    void aCancelledRequestFreesItsSlotAndIsNeverEmbedded() throws Exception {
        Batcher b = new Batcher(lengths, 100, 100, 1, recording, false);
        CompletableFuture<List<float[]>> cancelled = b.submit(List.of("cancelled"), 1);
        assertThatThrownBy(() -> b.submit(List.of("refused"), 1)).isInstanceOf(Batcher.Rejected.class);

        assertThat(cancelled.cancel(false)).isTrue();
        assertThat(b.pending()).isZero();
        CompletableFuture<List<float[]>> kept = b.submit(List.of("kept"), 1);
        assertThat(b.runNextBatch()).isEqualTo(1);
        assertThat(b.runNextBatch()).isZero();
        assertThat(calls).containsExactly(List.of("kept"));
        assertThat(values(kept.get())).containsExactly(4);
        assertThat(b.pending()).isZero();
    }

    @Test
    void aRequestCancelledOrTimedOutWhileRunningFreesItsSlotAtOnce() throws Exception {
        Gate gated = new Gate();
        try (Batcher b = new Batcher(gated, 100, 1, 1, Batcher.Listener.NONE)) {
            CompletableFuture<List<float[]>> first = b.submit(List.of("a"), 1);
            gated.running.await();
            first.cancel(true);
            assertThat(b.pending()).isZero();
            CompletableFuture<List<float[]>> second = b.submit(List.of("bb"), 1)
                    .orTimeout(10, TimeUnit.MILLISECONDS); // completed by the caller's timer, not the batcher
            assertThatThrownBy(second::get).hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
            assertThat(b.pending()).isZero();
            gated.release.countDown();
            CompletableFuture<List<float[]>> third = b.submit(List.of("ccc"), 1);
            assertThat(values(third.get(5, TimeUnit.SECONDS))).containsExactly(3);
        } finally {
            gated.release.countDown();
        }
    }

    @Test
    void refuseQueuedFailsTheWaitingRequestsAsAShutdown() throws Exception {
        Batcher b = new Batcher(lengths, 100, 100, 10, recording, false);
        CompletableFuture<List<float[]>> queued = b.submit(List.of("a"), 1);
        assertThat(b.refuseQueued("out of time")).isEqualTo(1);
        assertThatThrownBy(queued::get).hasCauseInstanceOf(Batcher.Rejected.class).hasMessageContaining("out of time");
        assertThat(b.pending()).isZero();
        assertThat(b.runNextBatch()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void aRequestOverTheBudgetRunsAloneAndTheRequestLimitCapsABatch() throws Exception {
        Batcher b = new Batcher(lengths, 10, 2, 100, recording, false);
        CompletableFuture<List<float[]>> big = b.submit(List.of("xxxxxxxx"), 50);
        CompletableFuture<List<float[]>> s1 = b.submit(List.of("a"), 1);
        CompletableFuture<List<float[]>> s2 = b.submit(List.of("b"), 1);
        CompletableFuture<List<float[]>> s3 = b.submit(List.of("c"), 1);

        assertThat(b.runNextBatch()).isEqualTo(1);
        assertThat(values(big.get())).containsExactly(8);
        assertThat(b.runNextBatch()).isEqualTo(2);
        assertThat(b.runNextBatch()).isEqualTo(1);
        assertThat(calls).containsExactly(List.of("xxxxxxxx"), List.of("a", "b"), List.of("c"));
        assertThat(s1.get()).hasSize(1);
        assertThat(s2.get()).hasSize(1);
        assertThat(s3.get()).hasSize(1);
    }

    @Test
    void aFailingRequestFailsAloneWhileTheOthersInItsBatchSucceed() throws Exception {
        Batcher b = new Batcher(lengths, 100, 100, 100, recording, false);
        CompletableFuture<List<float[]>> good1 = b.submit(List.of("one", "three"), 2);
        CompletableFuture<List<float[]>> bad = b.submit(List.of("fine", "bad sentence"), 2);
        CompletableFuture<List<float[]>> good2 = b.submit(List.of("seven"), 1);

        assertThat(b.runNextBatch()).isEqualTo(3);
        // the merged call failed, then each request ran on its own
        assertThat(calls).containsExactly(List.of("one", "three", "fine", "bad sentence", "seven"),
                List.of("one", "three"), List.of("fine", "bad sentence"), List.of("seven"));
        assertThat(values(good1.get())).containsExactly(3, 5);
        assertThat(values(good2.get())).containsExactly(5);
        assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad sentence");
        assertThat(b.pending()).isZero();
    }

    @Test
    void aWrongNumberOfVectorsFailsTheRequestInsteadOfShiftingTheOthers() throws Exception {
        Batcher.Embedder dropsOne = (sentences, variant) -> sentences.stream().skip(1).map(s -> new float[] {1}).toList();
        Batcher b = new Batcher(dropsOne, 100, 100, 100, Batcher.Listener.NONE, false);
        CompletableFuture<List<float[]>> r = b.submit(List.of("a", "b"), 2);
        b.runNextBatch();
        assertThatThrownBy(r::get).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("returned 1 vectors for 2 sentences");
    }

    @Test
    void refusesRequestsBeyondTheLimitUntilOneIsAnswered() throws Exception {
        Batcher b = new Batcher(lengths, 100, 100, 2, Batcher.Listener.NONE, false);
        b.submit(List.of("a"), 1);
        b.submit(List.of("b"), 1);
        assertThatThrownBy(() -> b.submit(List.of("c"), 1)).isInstanceOf(Batcher.Rejected.class)
                .hasMessageContaining("2 are queued or running")
                .satisfies(e -> assertThat(((Batcher.Rejected) e).shuttingDown()).isFalse());
        assertThat(b.pending()).isEqualTo(2);
        b.runNextBatch();
        assertThat(b.submit(List.of("c"), 1)).isNotNull();
    }

    @Test
    void closingRefusesNewRequestsAndAnswersTheAdmittedOnes() throws Exception {
        Gate gated = new Gate();
        Batcher b = new Batcher(gated, 100, 1, 10, Batcher.Listener.NONE);
        CompletableFuture<List<float[]>> first = b.submit(List.of("a"), 1);
        gated.running.await();
        CompletableFuture<List<float[]>> queued = b.submit(List.of("bb"), 1);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(b::close);
        Batcher.Rejected refused = null;
        while (refused == null) { // until close() has begun: requests admitted before then are answered too
            try {
                b.submit(List.of("c"), 1);
                Thread.sleep(1);
            } catch (Batcher.Rejected e) {
                refused = e;
            }
        }
        assertThat(refused.shuttingDown()).isTrue();
        assertThat(closing).isNotDone();
        gated.release.countDown();
        closing.get(5, TimeUnit.SECONDS);
        assertThat(values(first.get())).containsExactly(1);
        assertThat(values(queued.get())).containsExactly(2);
        assertThatThrownBy(() -> b.submit(List.of("d"), 1)).isInstanceOf(Batcher.Rejected.class)
                .hasMessageContaining("shutting down");
    }
}
