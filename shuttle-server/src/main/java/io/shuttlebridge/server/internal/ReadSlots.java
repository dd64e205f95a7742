package io.shuttlebridge.server.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many reads (pulls, snapshot pages, row diffs) a pooled hub serves at once: fewer than its pool has
 * connections, so that a push always finds one free however many devices pull. A read beyond them waits
 * here, first come first served, instead of in the pool's queue in front of pushes: on a hub with more
 * devices than it can serve, the devices queue for their pulls (each of which may carry a thousand rows)
 * while their pushes, a few rows each, are taken at once. A read that waited longer than {@link
 * #WAIT_PROPERTY} (default 30 s) is refused {@code 503 UNAVAILABLE}, having done nothing, and the device
 * comes back. A SQLite hub (one connection, writes and reads in turn) has no slots.
 */
public final class ReadSlots {
    /** {@code -Dshuttle.hub.readSlots=N}: reads at once (default: half the pool's connections, the listener's aside). */
    public static final String SLOTS_PROPERTY = "shuttle.hub.readSlots";

    /** {@code -Dshuttle.hub.readWaitMillis=N}: how long a read waits for a slot before it is refused 503. */
    public static final String WAIT_PROPERTY = "shuttle.hub.readWaitMillis";

    private final Semaphore slots;
    private final int size;
    private final long waitNanos;
    private final AtomicInteger waiting = new AtomicInteger();

    ReadSlots(int size, long waitMillis) {
        this.size = size;
        this.slots = size <= 0 ? null : new Semaphore(size, true);
        this.waitNanos = TimeUnit.MILLISECONDS.toNanos(waitMillis);
    }

    /** The slots of a hub over {@code db}: none (every read goes straight on) unless it is served by a pool. */
    public static ReadSlots of(ShuttleDatabase db) {
        int pool = db.dataSource()
                .filter(HikariDataSource.class::isInstance)
                .map(d -> ((HikariDataSource) d).getMaximumPoolSize())
                .orElse(0);
        long wait = Long.getLong(WAIT_PROPERTY, 30_000L);
        if (pool == 0) {
            return new ReadSlots(0, wait);
        }
        return new ReadSlots(Integer.getInteger(SLOTS_PROPERTY, defaultSize(pool)), wait);
    }

    /**
     * The reads at once for a pool of {@code pool} connections: one of them listens for other hub processes'
     * writes, and half of the rest serve reads (measured with 1,000 devices on a pool of 10: four reads at once
     * answered pushes in p99 262 ms where seven took 877–945 ms, for the same rows pulled; with 50 devices the
     * rows served rose a little).
     */
    static int defaultSize(int pool) {
        return Math.max(1, (pool - 1) / 2);
    }

    /** Runs {@code read} in a slot, waiting for one; refused 503 when none came free in time. */
    public void run(Runnable read) {
        if (slots == null) {
            read.run();
            return;
        }
        boolean got;
        waiting.incrementAndGet();
        try {
            got = slots.tryAcquire(waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(
                    ErrorCode.UNAVAILABLE, "the hub is shutting down: retry against it once it is back");
        } finally {
            waiting.decrementAndGet();
        }
        if (!got) {
            throw new ShuttleException(
                    ErrorCode.UNAVAILABLE,
                    "the hub is busy serving " + size + " read(s) at once and this one waited "
                            + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms for its turn: retry in a moment");
        }
        try {
            read.run();
        } finally {
            slots.release();
        }
    }

    /**
     * Starts {@code read} on {@code executor} in a slot if one is free now and no read is waiting for one, and
     * says so; otherwise runs nothing and answers false. For work that only uses capacity nobody asked for (a
     * page read ahead); on a hub without slots it always starts.
     */
    public boolean tryStart(Runnable read, Executor executor) {
        if (slots != null && (waiting.get() > 0 || !slots.tryAcquire())) {
            return false;
        }
        try {
            executor.execute(() -> {
                try {
                    read.run();
                } finally {
                    if (slots != null) {
                        slots.release();
                    }
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            if (slots != null) {
                slots.release();
            }
            return false;
        }
    }

    /** Reads waiting for a slot now. */
    public int waiting() {
        return waiting.get();
    }

    /** Reads served at once (0: no limit). */
    public int size() {
        return size;
    }
}
