package io.shuttlebridge.core.internal.sync.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes waiting for a parent row (a child that arrived before its parent), in
 * {@code _shuttle_pending}. Kept durably with the cursor that skipped past them; retried after
 * every applied batch. Internal.
 */
public final class PendingStore {
    private PendingStore() {}

    /**
     * A held change, the peer it came from, and the side this replica was on when it arrived (null for
     * changes held before that was recorded): a change from the hub a device follows is judged
     * differently from one a device pushed to its hub.
     */
    public record Pending(Change change, String via, String reason, int attempts, Role heldAs) {}

    /** The held change's JSON carries the role it arrived under in this field (readers of the change ignore it). */
    private static final String HELD_AS = "heldAs";

    /** Holds the change; {@code clock} gives the time it was first seen. */
    public static void hold(Connection c, Change change, String via, String reason, Role heldAs, MillisClock clock)
            throws SQLException {
        String key = ChangeCodec.keyJson(change.key());
        ObjectNode node = ChangeCodec.change(change);
        node.put(HELD_AS, heldAs.name());
        String json = ChangeCodec.toJson(node);
        int updated = Jdbc.update(
                c,
                "UPDATE _shuttle_pending SET change_json = ?, via = ?, reason = ?, attempts = attempts + 1"
                        + " WHERE tbl = ? AND key_json = ?",
                json,
                via,
                reason,
                change.table(),
                key);
        if (updated == 0) {
            Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_pending (tbl, key_json, change_json, via, reason, attempts, first_seen)"
                            + " VALUES (?, ?, ?, ?, ?, 1, ?)",
                    change.table(),
                    key,
                    json,
                    via,
                    reason,
                    clock.instant().toString());
        }
    }

    /** The change held for the row {@code key} of {@code table}, or null. */
    public static Change held(Connection c, String table, List<Object> key) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT change_json FROM _shuttle_pending WHERE tbl = ? AND key_json = ?")) {
            ps.setString(1, table);
            ps.setString(2, ChangeCodec.keyJson(key));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? ChangeCodec.change(ChangeCodec.parse(rs.getString(1), "pending change"), "pending")
                        : null;
            }
        }
    }

    public static List<Pending> all(Connection c) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT change_json, via, reason, attempts FROM _shuttle_pending ORDER BY first_seen, tbl, key_json");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                JsonNode node = ChangeCodec.parse(rs.getString(1), "pending change");
                JsonNode role = node.get(HELD_AS);
                out.add(new Pending(
                        ChangeCodec.change(node, "pending"),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getInt(4),
                        role == null || !role.isTextual() ? null : Role.valueOf(role.asText())));
            }
        }
        return out;
    }

    public static void release(Connection c, Change change) throws SQLException {
        Jdbc.update(
                c,
                "DELETE FROM _shuttle_pending WHERE tbl = ? AND key_json = ?",
                change.table(),
                ChangeCodec.keyJson(change.key()));
    }

    /**
     * Forgets the changes held that came from {@code peer}: a device taking its hub's whole snapshot, which
     * carries again every row the hub holds (held again if their parents are still missing), and none of
     * what the hub no longer holds. Returns how many.
     */
    public static int forgetFrom(Connection c, String peer) throws SQLException {
        return Jdbc.update(c, "DELETE FROM _shuttle_pending WHERE via = ?", peer);
    }

    public static long count(Connection c) throws SQLException {
        return Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_pending").orElse(0L);
    }
}
