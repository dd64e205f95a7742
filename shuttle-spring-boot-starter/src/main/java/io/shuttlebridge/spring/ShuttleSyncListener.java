package io.shuttlebridge.spring;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.SyncReport;
import java.util.List;

/**
 * Hears what a device's syncs do. Declared as a bean it is registered by the starter; else {@link
 * ShuttleSync#addListener}. Called on the sync's thread after the sync: keep it short, and what it
 * throws is logged and does not affect the sync.
 */
public interface ShuttleSyncListener {
    /**
     * The changes from the hub a sync wrote into this application's database (inserts, updates and
     * deletes of other nodes), in the order applied, once committed. Delivered at least once: when a
     * sync fails midway, a change of the page that rolled back may be heard again when it is applied
     * by a later sync.
     */
    default void applied(List<Change> changes) {}

    /** A sync finished. */
    default void synced(SyncReport report) {}

    /** A sync failed; the background loop tries again later. */
    default void failed(RuntimeException error) {}
}
