package io.shuttlebridge.testkit;

import io.shuttlebridge.core.sync.SyncReport;

/** A device of a {@link ShuttleTestCluster}: a SQLite database that syncs with the cluster's hub. */
public interface Device extends Replica {

    /** Pulls every page from the hub, then pushes what the hub has not acknowledged. */
    SyncReport sync();
}
