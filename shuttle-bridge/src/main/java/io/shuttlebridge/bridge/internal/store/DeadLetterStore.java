package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.bridge.DeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead-letter queue ({@code _shuttle_bridge_dead_letter}). A record that fails again while an
 * open letter exists for the same record key updates that letter (attempts + 1) instead of adding one.
 */
public final class DeadLetterStore {
    private DeadLetterStore() {}

    /** A letter to write. Payloads are JSON text or null. */
    public record Letter(
            String entity,
            Long batchId,
            String stage,
            String rule,
            String error,
            String recordKey,
            String raw,
            String normalized,
            String mapped) {}

    public static void add(Connection c, Letter l, Instant now) throws SQLException {
        int updated = Sql.update(
                c,
                "UPDATE _shuttle_bridge_dead_letter SET batch_id = ?, stage = ?, rule = ?, error = ?, raw = ?,"
                        + " normalized = ?, mapped = ?, attempts = attempts + 1, updated_at = ? WHERE entity = ? AND record_key = ? AND status = ?",
                l.batchId(),
                l.stage(),
                l.rule(),
                l.error(),
                l.raw(),
                l.normalized(),
                l.mapped(),
                now,
                l.entity(),
                l.recordKey(),
                DeadLetter.Status.OPEN.name());
        if (updated == 0) {
            Sql.update(
                    c,
                    "INSERT INTO _shuttle_bridge_dead_letter (entity, batch_id, stage, rule, error, record_key, raw,"
                            + " normalized, mapped, attempts, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,1,?,?,?)",
                    l.entity(),
                    l.batchId(),
                    l.stage(),
                    l.rule(),
                    l.error(),
                    l.recordKey(),
                    l.raw(),
                    l.normalized(),
                    l.mapped(),
                    DeadLetter.Status.OPEN.name(),
                    now,
                    now);
        }
    }

    /** Resolves open letters of these record keys (the record has now been ingested). Returns how many. */
    public static int resolveKeys(Connection c, String entity, List<String> keys, Instant now) throws SQLException {
        int n = 0;
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE _shuttle_bridge_dead_letter SET status = ?, updated_at = ?"
                        + " WHERE entity = ? AND record_key = ? AND status = ?")) {
            for (String key : keys) {
                Sql.bind(ps, DeadLetter.Status.RESOLVED.name(), now, entity, key, DeadLetter.Status.OPEN.name());
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    public static boolean setStatus(Connection c, long id, DeadLetter.Status status, Instant now) throws SQLException {
        return Sql.update(
                        c,
                        "UPDATE _shuttle_bridge_dead_letter SET status = ?, updated_at = ? WHERE id = ?",
                        status.name(),
                        now,
                        id)
                > 0;
    }

    public static long countOpen(Connection c, String entity) throws SQLException {
        return Sql.queryLong(
                c,
                "SELECT COUNT(*) FROM _shuttle_bridge_dead_letter WHERE entity = ? AND status = ?",
                entity,
                DeadLetter.Status.OPEN.name());
    }

    public static Optional<DeadLetter> find(Connection c, long id) throws SQLException {
        return query(c, "SELECT * FROM _shuttle_bridge_dead_letter WHERE id = ?", id).stream()
                .findFirst();
    }

    /** Newest first; entity and status may be null for all. */
    public static List<DeadLetter> list(Connection c, String entity, DeadLetter.Status status, int limit)
            throws SQLException {
        return query(
                c,
                "SELECT * FROM _shuttle_bridge_dead_letter WHERE (CAST(? AS TEXT) IS NULL OR entity = ?) AND (CAST(? AS TEXT) IS NULL OR status = ?)"
                        + " ORDER BY id DESC LIMIT ?",
                entity,
                entity,
                status == null ? null : status.name(),
                status == null ? null : status.name(),
                limit);
    }

    private static List<DeadLetter> query(Connection c, String sql, Object... args) throws SQLException {
        List<DeadLetter> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new DeadLetter(
                        rs.getLong("id"),
                        rs.getString("entity"),
                        Sql.nullableLong(rs, "batch_id"),
                        rs.getString("stage"),
                        rs.getString("rule"),
                        rs.getString("error"),
                        rs.getString("record_key"),
                        rs.getString("raw"),
                        rs.getString("normalized"),
                        rs.getString("mapped"),
                        rs.getInt("attempts"),
                        DeadLetter.Status.valueOf(rs.getString("status")),
                        Sql.instant(rs.getString("created_at")),
                        Sql.instant(rs.getString("updated_at"))));
            }
        }
        return out;
    }
}
