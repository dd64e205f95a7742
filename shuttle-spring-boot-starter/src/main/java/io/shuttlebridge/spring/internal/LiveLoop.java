package io.shuttlebridge.spring.internal;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Follows the hub's stream with {@link LiveSync} ({@code shuttle.sync.live=true}): a sync moments after
 * the hub or this application changes something, and one every {@code interval} whatever happens. The
 * hub is reached first (its node checked, a short id leased), again and again with backoff while it
 * cannot be: the application starts whether its hub answers or not.
 */
final class LiveLoop implements SyncLoop {
    private static final Backoff RECONTACT =
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), Integer.MAX_VALUE);

    private final SyncEngine engine;
    private final HttpTransport hub;
    private final HubContact contact;
    private final SyncEvents events;
    private final LiveSync.Settings settings;
    private final ScheduledExecutorService connector = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "shuttle-sync-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile LiveSync live;
    private volatile boolean closed;
    private int attempts;

    LiveLoop(SyncEngine engine, HttpTransport hub, HubContact contact, SyncEvents events, Duration interval) {
        this.engine = engine;
        this.hub = hub;
        this.contact = contact;
        this.events = events;
        this.settings = new LiveSync.Settings(
                LiveSync.Settings.DEFAULT.debounce(), LiveSync.Settings.DEFAULT.localPoll(), interval);
        connector.execute(this::connect);
    }

    private void connect() {
        if (closed) {
            return;
        }
        try {
            follow(contact.reach());
        } catch (RuntimeException e) {
            events.failed(e);
            try {
                connector.schedule(this::connect, RECONTACT.delay(attempts++).toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // closed meanwhile
            }
        }
    }

    private synchronized LiveSync follow(String hubNode) {
        if (closed) {
            throw new IllegalStateException("the sync with " + hub.hub() + " is stopped");
        }
        if (live == null) {
            live = LiveSync.start(engine, hub, hubNode, settings, events);
        }
        return live;
    }

    @Override
    public SyncReport sync() {
        LiveSync l = live;
        if (l == null) {
            try {
                l = follow(contact.reach());
            } catch (RuntimeException e) {
                events.failed(e);
                throw e;
            }
        }
        return l.sync();
    }

    @Override
    public void request() {
        LiveSync l = live;
        if (l != null) {
            l.requestSync();
        }
    }

    @Override
    public boolean connected() {
        LiveSync l = live;
        return l != null && l.connected();
    }

    @Override
    public void close(Duration timeout) {
        LiveSync l;
        synchronized (this) {
            closed = true;
            l = live;
        }
        connector.shutdownNow();
        if (l != null) {
            l.close(); // the sync running finishes, none starts after
        }
    }
}
