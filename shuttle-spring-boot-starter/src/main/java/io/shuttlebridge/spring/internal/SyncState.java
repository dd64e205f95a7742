package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.sync.SyncReport;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** What the device's syncs did so far: the last outcome and running totals. */
final class SyncState {
    private final Clock clock;
    private volatile Instant lastSync;
    private volatile Instant lastSuccess;
    private volatile String lastError;
    private volatile boolean reachable;
    final AtomicLong syncs = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong pulled = new AtomicLong();
    final AtomicLong applied = new AtomicLong();
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong rejected = new AtomicLong();

    SyncState(Clock clock) {
        this.clock = clock;
    }

    /** Records a successful sync; returns whether the one before it had failed. */
    boolean succeeded(SyncReport r) {
        boolean wasFailing = lastError != null;
        Instant now = clock.instant();
        lastSync = now;
        lastSuccess = now;
        lastError = null;
        reachable = true;
        syncs.incrementAndGet();
        pulled.addAndGet(r.pulled());
        applied.addAndGet(r.applied());
        pushed.addAndGet(r.pushed());
        conflicts.addAndGet(r.conflicts());
        rejected.addAndGet(r.rejected());
        return wasFailing;
    }

    /** Records a failed sync; returns whether the one before it had succeeded (or none ran). */
    boolean failed(RuntimeException e) {
        boolean first = lastError == null;
        lastSync = clock.instant();
        lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        reachable = false;
        failures.incrementAndGet();
        return first;
    }

    Instant lastSync() {
        return lastSync;
    }

    Instant lastSuccess() {
        return lastSuccess;
    }

    String lastError() {
        return lastError;
    }

    boolean reachable() {
        return reachable;
    }
}
