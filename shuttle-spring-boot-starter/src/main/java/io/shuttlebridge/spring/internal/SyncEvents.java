package io.shuttlebridge.spring.internal;

import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.spring.ShuttleSyncListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where every sync's outcome goes: the device's state, the log (a warning when the hub stops
 * answering, one line when it answers again, not one per failed attempt) and the application's
 * listeners, with the changes the sync applied.
 */
final class SyncEvents implements LiveSync.Listener {
    private static final Logger log = LoggerFactory.getLogger(SyncEvents.class);

    private final SyncState state;
    private final String hub;
    private final List<ShuttleSyncListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Change> applied = new ArrayList<>();

    SyncEvents(SyncState state, String hub) {
        this.state = state;
        this.hub = hub;
    }

    void add(ShuttleSyncListener l) {
        listeners.add(l);
    }

    void remove(ShuttleSyncListener l) {
        listeners.remove(l);
    }

    /** The engine's apply listener: called inside the apply transaction, kept until the sync ends. */
    void applied(Change change) {
        synchronized (applied) {
            applied.add(change);
        }
    }

    @Override
    public void synced(SyncReport r) {
        if (state.succeeded(r)) {
            log.info("sync with {} works again", hub);
        }
        deliverApplied();
        for (ShuttleSyncListener l : listeners) {
            try {
                l.synced(r);
            } catch (RuntimeException e) {
                log.warn("a sync listener failed", e);
            }
        }
    }

    @Override
    public void failed(RuntimeException e) {
        if (state.failed(e)) {
            log.warn("sync with {} failed, will retry: {}", hub, e.getMessage());
        } else {
            log.debug("sync with {} failed again", hub, e);
        }
        deliverApplied(); // the pages committed before the failure
        for (ShuttleSyncListener l : listeners) {
            try {
                l.failed(e);
            } catch (RuntimeException x) {
                log.warn("a sync listener failed", x);
            }
        }
    }

    private void deliverApplied() {
        List<Change> batch;
        synchronized (applied) {
            if (applied.isEmpty()) {
                return;
            }
            batch = List.copyOf(applied);
            applied.clear();
        }
        for (ShuttleSyncListener l : listeners) {
            try {
                l.applied(batch);
            } catch (RuntimeException e) {
                log.warn("a sync listener failed", e);
            }
        }
    }
}
