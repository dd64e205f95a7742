package io.shuttlebridge.spring;

import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;

/**
 * A device application's sync with its hub ({@code shuttle.mode=device}): the starter runs it in the
 * background; inject this bean to sync at a moment of the application's choosing, to hear what syncs
 * did (or declare {@link ShuttleSyncListener} beans), and to read where it stands.
 */
public interface ShuttleSync {
    /**
     * Syncs now (pull then push) and returns what it did, after the background sync running, if one
     * is; throws what the sync threw (a {@link io.shuttlebridge.core.ShuttleException}: the hub
     * unreachable, a refused token, ...).
     */
    SyncReport sync();

    /** Asks the background loop for a sync soon, without waiting for it. */
    void requestSync();

    /** Hears every sync from now on, the background ones included. */
    void addListener(ShuttleSyncListener listener);

    void removeListener(ShuttleSyncListener listener);

    /** Where this device stands: the last sync, the hub's reachability, changes not yet pushed. */
    ShuttleSyncStatus status();

    /** The engine over the application's database (conflicts, rejected writes, cursors). */
    SyncEngine engine();
}
