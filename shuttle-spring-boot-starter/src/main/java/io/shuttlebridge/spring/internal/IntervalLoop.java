package io.shuttlebridge.spring.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Syncs every {@code interval} ({@code shuttle.sync.live=false}), and when asked. */
final class IntervalLoop implements SyncLoop {
    private final SyncEngine engine;
    private final HttpTransport hub;
    private final HubContact contact;
    private final SyncEvents events;
    private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "shuttle-sync");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    IntervalLoop(SyncEngine engine, HttpTransport hub, HubContact contact, SyncEvents events, Duration interval) {
        this.engine = engine;
        this.hub = hub;
        this.contact = contact;
        this.events = events;
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false); // on close, queued syncs are dropped
        worker.scheduleWithFixedDelay(this::background, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private SyncReport run() {
        if (closed) {
            throw new IllegalStateException("the sync with " + hub.hub() + " is stopped");
        }
        try {
            contact.reach();
            SyncReport r = engine.pullThenPush(hub);
            NodeLeases.renewIfDue(engine.database(), hub);
            events.synced(r);
            return r;
        } catch (RuntimeException e) {
            events.failed(e);
            throw e;
        }
    }

    private void background() {
        if (closed) {
            return;
        }
        try {
            run();
        } catch (RuntimeException e) {
            // heard by the events; the next period tries again
        }
    }

    @Override
    public SyncReport sync() {
        Future<SyncReport> done;
        try {
            done = worker.submit(this::run);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the sync with " + hub.hub() + " is stopped", e);
        }
        try {
            return done.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("sync with " + hub.hub() + " failed", e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the sync with " + hub.hub() + " was stopped before it ran", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sync with " + hub.hub(), e);
        }
    }

    @Override
    public void request() {
        try {
            worker.execute(this::background);
        } catch (RejectedExecutionException e) {
            // stopped: nothing more to sync
        }
    }

    @Override
    public boolean connected() {
        return false;
    }

    @Override
    public void close(Duration timeout) {
        closed = true;
        worker.shutdown(); // the periodic sync and queued ones are dropped; the running one finishes
        try {
            if (!worker.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
