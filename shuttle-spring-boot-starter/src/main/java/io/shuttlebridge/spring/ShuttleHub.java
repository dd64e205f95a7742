package io.shuttlebridge.spring;

import io.shuttlebridge.core.sync.SyncEngine;

/**
 * A hub served by the application ({@code shuttle.mode=hub}): the protocol's endpoints on the
 * application's own server, over its {@code DataSource}.
 */
public interface ShuttleHub {
    /** The hub's engine over the application's database (feed position, conflicts, tombstones). */
    SyncEngine engine();

    /** Devices following the hub's stream right now. */
    int openStreams();
}
