package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/** Maps node uuids to the small numbers the feed stores (0 is always the local node). */
public final class Nodes {
    private Nodes() {}

    /** The number for a node uuid, registering it when it is new. */
    public static int idOf(Connection c, String uuid) throws SQLException {
        var id = Jdbc.queryLong(c, "SELECT id FROM _shuttle_nodes WHERE uuid = ?", uuid);
        if (id.isPresent()) {
            return id.get().intValue();
        }
        // another session may register a node at the same time (PostgreSQL): take whichever id won
        for (int attempt = 0; attempt < 10; attempt++) {
            Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_nodes (id, uuid) VALUES ((SELECT max(id) + 1 FROM _shuttle_nodes), ?) ON CONFLICT DO NOTHING",
                    uuid);
            id = Jdbc.queryLong(c, "SELECT id FROM _shuttle_nodes WHERE uuid = ?", uuid);
            if (id.isPresent()) {
                return id.get().intValue();
            }
        }
        throw new ShuttleException(
                ErrorCode.INTERNAL,
                "could not register node " + uuid + ": node ids kept colliding with concurrent registrations");
    }
}
