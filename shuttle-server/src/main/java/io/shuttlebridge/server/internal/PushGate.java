package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** Counts writes in flight so that shutdown refuses new ones and waits for those already running. */
public final class PushGate {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int inFlight;
    private boolean closing;

    public <T> T run(Supplier<T> work) {
        lock.lock();
        try {
            if (closing) {
                throw new ShuttleException(
                        ErrorCode.UNAVAILABLE, "the hub is shutting down: retry against it once it is back");
            }
            inFlight++;
        } finally {
            lock.unlock();
        }
        try {
            return work.get();
        } finally {
            lock.lock();
            try {
                if (--inFlight == 0) {
                    idle.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Refuses new work and waits up to {@code timeout} for running work; true when all finished. */
    public boolean closeAndAwait(Duration timeout) {
        lock.lock();
        try {
            closing = true;
            long nanos = timeout.toNanos();
            while (inFlight > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }
}
