package io.github.tokenprepending.server.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching: requests wait in a bounded queue and one worker merges the requests at its head into a single
 * encoder call, in arrival order, as many as fit the token budget and the request limit (a request over the budget
 * runs alone), all of one {@link Variant} (prompt name, dimensions). Each request gets exactly its own vectors back. When a merged call fails, its requests run again one
 * by one, so only a request that fails alone fails.
 *
 * <p>Memory is bounded: at most {@code maxPending} requests are admitted (queued or running); {@link #submit} refuses
 * the next with {@link Rejected}. A request's slot is freed when its future completes in any way: answered, failed,
 * or completed or cancelled by the caller (a cancelled request still queued is dropped, never embedded).
 * {@link #close()} refuses new requests, finishes the admitted ones and stops the worker.
 */
public final class Batcher implements AutoCloseable {
    private final Embedder embedder;
    private final int maxBatchTokens;
    private final int maxBatchRequests;
    private final int maxPending;
    private final Listener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private final Thread worker;
    private int pending;
    private boolean closed;

    /** Embeds a merged batch: one vector per sentence, in order. */
    @FunctionalInterface
    public interface Embedder {
        /**
         * @param sentences the sentences of every merged request, request after request
         * @param variant how they are embedded (the merged requests share it)
         * @return one vector per sentence, in order
         */
        List<float[]> embed(List<String> sentences, Variant variant);
    }

    /**
     * How a request's sentences are embedded: requests merge into one encoder call only with requests of the same
     * variant.
     *
     * @param promptName the named prompt, or null for the encoder's default
     * @param dimensions the components kept, or 0 for all
     */
    public record Variant(String promptName, int dimensions) {
        /** The encoder's default prompt, every dimension. */
        public static final Variant DEFAULT = new Variant(null, 0);
    }

    /** Told about the work done, for metrics. */
    public interface Listener {
        /**
         * Called before a merged encoder call.
         *
         * @param requests requests merged
         * @param sentences their sentences
         * @param tokens their token count as submitted
         */
        void batch(int requests, int sentences, long tokens);

        /** A listener that ignores everything. */
        Listener NONE = (requests, sentences, tokens) -> {
        };
    }

    /** Why a request was not admitted. */
    public static final class Rejected extends Exception {
        private final boolean shuttingDown;

        Rejected(String message, boolean shuttingDown) {
            super(message, null, false, false);
            this.shuttingDown = shuttingDown;
        }

        /** @return true when the batcher is closing, false when it is full */
        public boolean shuttingDown() {
            return shuttingDown;
        }
    }

    private record Request(List<String> sentences, Variant variant, long tokens, Answer result) {
    }

    /**
     * A request's future: whichever way it completes (answered, failed, or completed or cancelled by the caller), its
     * admission slot is freed first, so that whoever the completion wakes finds the slot free.
     */
    private final class Answer extends CompletableFuture<List<float[]>> {
        private final AtomicBoolean released = new AtomicBoolean();

        Answer() {
            // a backstop for the ways of completing a future that bypass the overrides below
            super.whenComplete((vectors, failure) -> release());
        }

        @Override
        public boolean complete(List<float[]> value) {
            release();
            return super.complete(value);
        }

        @Override
        public boolean completeExceptionally(Throwable failure) {
            release();
            return super.completeExceptionally(failure);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            release();
            return super.cancel(mayInterruptIfRunning);
        }

        private void release() {
            if (released.compareAndSet(false, true)) {
                lock.lock();
                try {
                    pending--;
                    queue.removeIf(r -> r.result() == this); // a cancelled request leaves the queue at once
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Starts a batcher with its worker thread.
     *
     * @param embedder runs merged batches
     * @param maxBatchTokens most tokens merged into one call (a larger request runs alone)
     * @param maxBatchRequests most requests merged into one call
     * @param maxPending most requests admitted at once, queued or running
     * @param listener told about batches
     */
    public Batcher(Embedder embedder, int maxBatchTokens, int maxBatchRequests, int maxPending, Listener listener) {
        this(embedder, maxBatchTokens, maxBatchRequests, maxPending, listener, true);
    }

    /** Without a worker ({@code start} false) batches run only through {@link #runNextBatch()}: for tests. */
    Batcher(Embedder embedder, int maxBatchTokens, int maxBatchRequests, int maxPending, Listener listener,
            boolean start) {
        if (maxBatchTokens < 1 || maxBatchRequests < 1 || maxPending < 1) {
            throw new IllegalArgumentException("batch tokens, batch requests and pending requests must be at least 1,"
                    + " got " + maxBatchTokens + ", " + maxBatchRequests + ", " + maxPending);
        }
        this.embedder = embedder;
        this.maxBatchTokens = maxBatchTokens;
        this.maxBatchRequests = maxBatchRequests;
        this.maxPending = maxPending;
        this.listener = listener;
        if (start) {
            worker = new Thread(this::work, "tp-batcher");
            worker.setDaemon(true);
            worker.start();
        } else {
            worker = null;
        }
    }

    /**
     * Queues a request.
     *
     * @param sentences its sentences (at least one)
     * @param tokens its size for the token budget
     * @return its vectors, in order, once its batch has run; completed exceptionally with the encoder's exception if
     *     the request fails on its own
     * @throws Rejected when {@code maxPending} requests are admitted already, or the batcher is closing
     */
    public CompletableFuture<List<float[]>> submit(List<String> sentences, long tokens) throws Rejected {
        return submit(sentences, Variant.DEFAULT, tokens);
    }

    /**
     * Queues a request embedded with a variant (a named prompt, a number of dimensions).
     *
     * @param sentences its sentences (at least one)
     * @param variant how they are embedded; only requests of the same variant are merged
     * @param tokens its size for the token budget
     * @return its vectors, in order, once its batch has run; completed exceptionally with the encoder's exception if
     *     the request fails on its own
     * @throws Rejected when {@code maxPending} requests are admitted already, or the batcher is closing
     */
    public CompletableFuture<List<float[]>> submit(List<String> sentences, Variant variant, long tokens)
            throws Rejected {
        if (sentences.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one sentence");
        }
        List<String> copy = List.copyOf(sentences);
        lock.lock();
        try {
            if (closed) {
                throw new Rejected("the server is shutting down", true);
            }
            if (pending >= maxPending) {
                throw new Rejected("too many requests: " + maxPending + " are queued or running already", false);
            }
            pending++;
            Request r = new Request(copy, variant, tokens, new Answer());
            queue.addLast(r);
            changed.signalAll();
            return r.result();
        } finally {
            lock.unlock();
        }
    }

    /** @return requests admitted and not yet answered (queued or running) */
    public int pending() {
        lock.lock();
        try {
            return pending;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Takes the requests at the head of the queue that fit one call and runs them.
     *
     * @return the number of requests run, 0 if the queue was empty
     */
    int runNextBatch() {
        List<Request> batch;
        lock.lock();
        try {
            batch = takeBatch();
        } finally {
            lock.unlock();
        }
        if (!batch.isEmpty()) {
            run(batch);
        }
        return batch.size();
    }

    /**
     * The head request, then the following ones of its variant while they fit the budget (called holding the lock);
     * requests whose future completed while they waited (cancelled by the caller) are dropped.
     */
    private List<Request> takeBatch() {
        List<Request> batch = new ArrayList<>();
        long tokens = 0;
        while (!queue.isEmpty() && batch.size() < maxBatchRequests) {
            Request next = queue.peekFirst();
            if (next.result().isDone()) {
                queue.removeFirst();
                continue;
            }
            if (!batch.isEmpty() && (tokens + next.tokens() > maxBatchTokens
                    || !next.variant().equals(batch.get(0).variant()))) {
                break;
            }
            batch.add(queue.removeFirst());
            tokens += next.tokens();
        }
        return batch;
    }

    private void run(List<Request> batch) {
        try {
            List<String> sentences = new ArrayList<>();
            long tokens = 0;
            for (Request r : batch) {
                sentences.addAll(r.sentences());
                tokens += r.tokens();
            }
            listener.batch(batch.size(), sentences.size(), tokens);
            List<float[]> vectors;
            try {
                vectors = embed(sentences, batch.get(0).variant());
            } catch (RuntimeException | Error merged) {
                if (batch.size() == 1) {
                    finish(batch.get(0), null, merged);
                    return;
                }
                for (Request r : batch) {
                    runAlone(r);
                }
                return;
            }
            int at = 0;
            for (Request r : batch) {
                int n = r.sentences().size();
                finish(r, List.copyOf(vectors.subList(at, at + n)), null);
                at += n;
            }
        } finally {
            for (Request r : batch) {
                // only if something thrown past the handlers above left a request unanswered
                finish(r, null, new IllegalStateException("the batch ended without an answer for this request"));
            }
        }
    }

    private void runAlone(Request r) {
        listener.batch(1, r.sentences().size(), r.tokens());
        try {
            finish(r, embed(r.sentences(), r.variant()), null);
        } catch (RuntimeException | Error e) {
            finish(r, null, e);
        }
    }

    private List<float[]> embed(List<String> sentences, Variant variant) {
        List<float[]> vectors = embedder.embed(sentences, variant);
        if (vectors == null || vectors.size() != sentences.size()) {
            throw new IllegalStateException("the encoder returned " + (vectors == null ? "nothing" : vectors.size()
                    + " vectors") + " for " + sentences.size() + " sentences");
        }
        return vectors;
    }

    /**
     * Answers a request once ({@link Answer} frees its slot first, so a client that sends its next request as soon as
     * it has this answer is never refused for a slot still held by the answered one).
     */
    private void finish(Request r, List<float[]> vectors, Throwable failure) {
        if (r.result().isDone()) {
            return;
        }
        if (failure == null) {
            r.result().complete(vectors);
        } else {
            r.result().completeExceptionally(failure);
        }
    }

    private void work() {
        while (true) {
            List<Request> batch;
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    changed.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return;
                }
                batch = takeBatch();
            } finally {
                lock.unlock();
            }
            run(batch);
        }
    }

    /**
     * Fails every request still queued (not yet running) with a {@link Rejected} whose {@link
     * Rejected#shuttingDown()} is true: for a shutdown that cannot wait any longer. The running batch, if any, goes
     * on.
     *
     * @param why the message of the failures
     * @return the number of requests failed
     */
    public int refuseQueued(String why) {
        List<Request> refused;
        lock.lock();
        try {
            refused = new ArrayList<>(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        int n = 0;
        for (Request r : refused) {
            if (r.result().completeExceptionally(new Rejected(why, true))) {
                n++;
            }
        }
        return n;
    }

    /**
     * Refuses new requests and waits until every admitted request is answered.
     *
     * @param timeoutMillis how long to wait at most
     * @return true if all were answered in time
     */
    public boolean drain(long timeoutMillis) {
        long start = System.nanoTime();
        long nanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
            while (pending > 0) {
                long left = nanos - (System.nanoTime() - start);
                if (left <= 0 || worker == null) {
                    return pending == 0;
                }
                try {
                    changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Refuses new requests, finishes the admitted ones and stops the worker. */
    @Override
    public void close() {
        drain(Long.MAX_VALUE);
        if (worker != null) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
