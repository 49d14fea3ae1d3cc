package io.github.tokenprepending.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's door: requests enter while it is open, and closing it waits until every request that entered has left
 * (been answered). Entering and closing are atomic with each other, so a request either entered before the close
 * (and is answered in full) or is refused (503); none is caught half-way. Closing also waits for a quiet moment (no
 * request knocking or answered for {@link #QUIET_MILLIS}), so that the requests clients send right after an answer,
 * already on the wire, get their 503 before the listener closes instead of a dropped connection.
 */
final class Admission {
    /** How long no request must have knocked or been answered before the door counts as quiet. */
    static final long QUIET_MILLIS = 200;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition left = lock.newCondition();
    private int inside;
    private boolean closed;
    private long lastActivity = System.nanoTime();

    /** @return true if the request may enter (then {@link #leave()} must follow once it is answered) */
    boolean enter() {
        lock.lock();
        try {
            lastActivity = System.nanoTime();
            if (closed) {
                return false;
            }
            inside++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Marks an entered request as answered. */
    void leave() {
        lock.lock();
        try {
            inside--;
            lastActivity = System.nanoTime();
            left.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return true once {@link #close(long)} has begun */
    boolean closed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets no one else in, then waits until every request inside has been answered and no request has knocked or
     * been answered for {@link #QUIET_MILLIS}.
     *
     * @param timeoutMillis how long to wait at most
     * @return true if all were answered in time
     */
    boolean close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long quiet = TimeUnit.MILLISECONDS.toNanos(QUIET_MILLIS);
        lock.lock();
        try {
            closed = true;
            while (true) {
                long now = System.nanoTime();
                long untilQuiet = lastActivity + quiet - now;
                if (inside == 0 && untilQuiet <= 0) {
                    return true;
                }
                long left = deadline - now;
                if (left <= 0) {
                    return inside == 0;
                }
                this.left.awaitNanos(inside > 0 ? left : Math.min(left, untilQuiet));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inside == 0;
        } finally {
            lock.unlock();
        }
    }
}
