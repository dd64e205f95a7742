package io.shuttlebridge.testkit;

import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;

/** A device of a {@link ShuttleTestCluster}: a SQLite database that syncs with the cluster's hub. */
public interface Device extends Replica {

    /** Pulls every page from the hub, then pushes what the hub has not acknowledged. */
    SyncReport sync();

    /**
     * The same through {@code via}, a transport that wraps the cluster's {@link
     * ShuttleTestCluster#transport()} to drop, repeat or cut short what passes (a fault of your own).
     */
    SyncReport sync(Transport via);
}
