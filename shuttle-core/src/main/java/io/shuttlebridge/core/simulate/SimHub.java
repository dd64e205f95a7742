package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.nio.file.Path;

/**
 * Where a simulated hub keeps its database and how devices reach it. The default, {@link #sqlite},
 * is a SQLite file beside the devices' files reached in-process; other implementations put the hub
 * on another database (a PostgreSQL database, say) or behind a real server (HTTP on loopback).
 * Devices are always SQLite files in the simulation's folder.
 */
public interface SimHub extends AutoCloseable {

    /**
     * A new, empty database for the hub, as a SQLite file path or a JDBC URL; the cluster creates
     * the simulated tables in it and enables capture.
     */
    String database(Path dir);

    /**
     * How devices reach {@code hub} (the hub's engine, its apply listener included), asked once
     * when the cluster is built. Faults are injected around what this returns.
     */
    Transport connect(SyncEngine hub);

    /** Releases what {@link #connect} and {@link #database} started (a server, a database); the cluster calls it before closing its nodes. */
    @Override
    default void close() {}

    /** The hub as the file {@code hub.db} in the simulation's folder, reached in-process. */
    static SimHub sqlite() {
        return new SimHub() {
            @Override
            public String database(Path dir) {
                return dir.resolve("hub.db").toString();
            }

            @Override
            public Transport connect(SyncEngine hub) {
                return new InProcessTransport(hub);
            }

            @Override
            public String toString() {
                return "SQLite hub, in-process";
            }
        };
    }
}
