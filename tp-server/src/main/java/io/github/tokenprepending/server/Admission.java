package io.github.tokenprepending.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's door: requests enter while it is open, and closing it waits until every request that entered has left
 * (been answered). Entering and closing are atomic with each other, so a request either entered before the close
 * (and is answered in full) or is refused (503); none is caught half-way.
 */
final class Admission {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition left = lock.newCondition();
    private int inside;
    private boolean closed;

    /** @return true if the request may enter (then {@link #leave()} must follow once it is answered) */
    boolean enter() {
        lock.lock();
        try {
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
     * Lets no one else in, then waits until every request inside has been answered.
     *
     * @param timeoutMillis how long to wait at most
     * @return true if all were answered in time
     */
    boolean close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        lock.lock();
        try {
            closed = true;
            while (inside > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                this.left.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return inside == 0;
        } finally {
            lock.unlock();
        }
    }
}
