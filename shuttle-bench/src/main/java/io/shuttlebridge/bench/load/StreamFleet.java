package io.shuttlebridge.bench.load;

import io.shuttlebridge.server.internal.StreamHub;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Idle live devices: M streams on the hub ({@code /v1/sync/stream}), opened by a {@link StreamClient}.
 * Each remembers the latest feed position it was told. A probe is armed with the position a coming
 * push will reach; each stream notes when it first hears of it, so one push's fan-out to all
 * streams can be timed. The client calls {@link #opened}, {@link #told} and {@link #closed}, for any
 * one stream from one thread at a time.
 */
final class StreamFleet {
    /** What a device says on its stream every {@link #HEARTBEAT} so that the hub can tell it from a vanished one. */
    static final String ALIVE = "{\"type\":\"alive\"}";

    /** How often, as devices' {@code LiveSync} does. */
    static final Duration HEARTBEAT = Duration.ofSeconds(StreamHub.HEARTBEAT_SECONDS);

    private final int size;
    private final Errors errors;
    private final AtomicIntegerArray alive;
    private final AtomicLongArray seen;
    private final AtomicLongArray heardAt;
    private final LongAdder told = new LongAdder();
    private volatile long target = Long.MAX_VALUE;
    private volatile boolean closing;

    StreamFleet(int size, Errors errors) {
        this.size = size;
        this.errors = errors;
        this.alive = new AtomicIntegerArray(size);
        this.seen = new AtomicLongArray(size);
        this.heardAt = new AtomicLongArray(size);
        for (int i = 0; i < size; i++) {
            seen.set(i, -1);
        }
    }

    int size() {
        return size;
    }

    Errors errors() {
        return errors;
    }

    /** Stream {@code i} is open. */
    void opened(int i) {
        alive.set(i, 1);
    }

    /** Stream {@code i} was told the feed reached {@code position}, at {@code nanos} (System.nanoTime()). */
    void told(int i, long position, long nanos) {
        if (position > seen.get(i)) {
            seen.set(i, position);
        }
        if (position >= target && heardAt.get(i) == 0) {
            heardAt.set(i, nanos);
            told.increment();
        }
    }

    /** Stream {@code i} ended: counted as an error of {@code kind} unless the fleet is being closed. */
    void closed(int i, String kind, String message) {
        boolean wasOpen = alive.getAndSet(i, 0) == 1;
        if (!closing && wasOpen) {
            errors.add(kind, message);
        }
    }

    /** From now on streams ending are not failures. */
    void closing() {
        closing = true;
    }

    /** Streams open now. */
    int openCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += alive.get(i);
        }
        return n;
    }

    /**
     * Waits until every open stream has been told of {@code position} or later; returns how many
     * open streams had not when {@code timeout} ran out.
     */
    int awaitAll(long position, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int behind = 0;
            for (int i = 0; i < size; i++) {
                if (alive.get(i) == 1 && seen.get(i) < position) {
                    behind++;
                }
            }
            if (behind == 0 || System.nanoTime() > deadline) {
                return behind;
            }
            Thread.sleep(5);
        }
    }

    /** Arms a probe: from now each stream notes when it first hears of {@code position} or later. */
    void arm(long position) {
        for (int i = 0; i < size; i++) {
            heardAt.set(i, 0);
        }
        told.reset();
        target = position;
    }

    /**
     * Waits until every open stream has heard of the armed position, then adds each stream's time
     * from {@code sentAt} (System.nanoTime()) to the samples and disarms; returns how many open
     * streams had not heard of it when {@code timeout} ran out.
     */
    int collect(long sentAt, Duration timeout, Samples into) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (told.sum() < openCount() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        target = Long.MAX_VALUE;
        int missed = 0;
        for (int i = 0; i < size; i++) {
            long at = heardAt.get(i);
            if (at != 0) {
                into.add(Math.max(0, at - sentAt));
            } else if (alive.get(i) == 1) {
                missed++;
            }
        }
        return missed;
    }
}
