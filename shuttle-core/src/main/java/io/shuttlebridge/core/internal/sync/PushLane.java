package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.OneConnection;

/**
 * The connection a pooled hub's groups of pushes commit on ({@link PushGroups}: one group at a time),
 * kept from one group to the next while pushes are waiting, and given back to the pool once none is.
 * Pushes arriving steadily then do not wait for a connection behind the pulls that share the pool
 * with them, once per group, while their group holds the feed's lock up: they commit one group after
 * another on the same connection. Used by one group's leader at a time (the groups' own lock orders
 * them). Internal.
 */
final class PushLane {
    private final ShuttleDatabase db;
    private OneConnection held;

    PushLane(ShuttleDatabase db) {
        this.db = db;
    }

    /** {@link ShuttleDatabase#durableTransaction} on the lane's connection, taken from the pool when it has none. */
    <T> T durableTransaction(ShuttleDatabase.SqlWork<T> work) {
        if (held == null) {
            held = OneConnection.of(db);
        }
        try {
            return held.durableTransaction(work);
        } catch (RuntimeException | Error e) {
            release(); // a failed transaction may have left the connection unusable: the next group takes another
            throw e;
        }
    }

    /** Gives the connection back to the pool: no push is waiting. */
    void release() {
        OneConnection c = held;
        held = null;
        if (c != null) {
            c.close();
        }
    }
}
