package io.shuttlebridge.core.internal.feed;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;

/**
 * The node numbers of one database and their uuids ({@code _shuttle_nodes}), kept in memory for a
 * hub's pulls, which would otherwise read the whole table (a row per device) for every page. A number
 * once given keeps its uuid, so what is known stays right; a number not known yet (a device seen for
 * the first time since) has the table read anew, on the reader's own connection and snapshot. The local
 * node's uuid, which a {@code NodeReset} changes, is the engine's own from its start either way.
 * Thread-safe.
 */
public final class NodeNames {
    private volatile Map<Integer, String> known;

    /** What is known, read first when nothing is. */
    Map<Integer, String> get(Connection c) throws SQLException {
        Map<Integer, String> k = known;
        return k != null ? k : refresh(c);
    }

    /** The table read anew. */
    Map<Integer, String> refresh(Connection c) throws SQLException {
        Map<Integer, String> k = Map.copyOf(FeedReader.nodes(c));
        known = k;
        return k;
    }
}
