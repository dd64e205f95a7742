package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Maps node uuids to the small numbers the feed stores (0 is always the local node). */
public final class Nodes {
    private Nodes() {}

    /** The numbers of those of the node uuids that have one (by uuid), in one query; none is registered. */
    public static Map<String, Integer> idsOf(Connection c, List<String> uuids) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        for (int from = 0; from < uuids.size(); from += 500) {
            List<String> some = uuids.subList(from, Math.min(uuids.size(), from + 500));
            String marks = String.join(", ", Collections.nCopies(some.size(), "?"));
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT uuid, id FROM _shuttle_nodes WHERE uuid IN (" + marks + ")")) {
                for (int i = 0; i < some.size(); i++) {
                    ps.setString(i + 1, some.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getInt(2));
                    }
                }
            }
        }
        return out;
    }

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
