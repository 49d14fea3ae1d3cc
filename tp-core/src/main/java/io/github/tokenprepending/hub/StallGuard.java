package io.github.tokenprepending.hub;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a response body that delivers no data for a while, so that a stalled connection fails (and is retried)
 * instead of blocking forever: the HTTP client's timeout only covers the wait for the response headers.
 */
final class StallGuard extends FilterInputStream {

    private final long limitNanos;
    private final Duration limit;
    private final ScheduledFuture<?> watch;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stalled;

    StallGuard(InputStream body, Duration limit, ScheduledExecutorService scheduler) {
        super(body);
        this.limit = limit;
        this.limitNanos = limit.toNanos();
        long period = Math.max(10, limit.toMillis() / 4);
        this.watch = scheduler.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    private void check() {
        if (System.nanoTime() - lastActivity > limitNanos) {
            stalled = true;
            watch.cancel(false);
            try {
                in.close();
            } catch (IOException ignored) {
                // the reader fails either way
            }
        }
    }

    @Override
    public int read() throws IOException {
        try {
            int b = super.read();
            lastActivity = System.nanoTime();
            return b;
        } catch (IOException e) {
            throw explain(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            int n = super.read(buffer, offset, length);
            lastActivity = System.nanoTime();
            return n;
        } catch (IOException e) {
            throw explain(e);
        }
    }

    private IOException explain(IOException e) {
        return stalled ? new IOException("no data received for " + limit.toMillis() + " ms", e) : e;
    }

    @Override
    public void close() throws IOException {
        watch.cancel(false);
        super.close();
    }
}
