package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.bridge.PendingChild;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Children waiting for their parent ({@code _shuttle_bridge_pending}), one per entity and business key. */
public final class PendingStore {
    private PendingStore() {}

    /** A stored pending child with everything needed to ingest it later. */
    public record Entry(
            long id,
            String entity,
            byte[] bkHash,
            byte[] dataHash,
            String rowversion,
            String keyJson,
            String mapped,
            String raw,
            String parentTable,
            String parentKey,
            int attempts,
            Instant nextAttemptAt,
            String reason,
            Instant createdAt) {

        public PendingChild view() {
            return new PendingChild(
                    id,
                    entity,
                    HexFormat.of().formatHex(bkHash),
                    parentTable,
                    parentKey,
                    attempts,
                    nextAttemptAt,
                    reason,
                    createdAt);
        }
    }

    /** Adds the child, or replaces the waiting version of the same business key (keeping its attempts). */
    public static void put(Connection c, Entry e) throws SQLException {
        int updated = Sql.update(
                c,
                "UPDATE _shuttle_bridge_pending SET data_hash = ?, rowversion = ?, key_json = ?, mapped = ?,"
                        + " raw = ?, parent_table = ?, parent_key = ?, reason = ? WHERE entity = ? AND bk_hash = ?",
                e.dataHash(),
                e.rowversion(),
                e.keyJson(),
                e.mapped(),
                e.raw(),
                e.parentTable(),
                e.parentKey(),
                e.reason(),
                e.entity(),
                e.bkHash());
        if (updated == 0) {
            Sql.update(
                    c,
                    "INSERT INTO _shuttle_bridge_pending (entity, bk_hash, data_hash, rowversion, key_json, mapped, raw,"
                            + " parent_table, parent_key, attempts, next_attempt_at, reason, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    e.entity(),
                    e.bkHash(),
                    e.dataHash(),
                    e.rowversion(),
                    e.keyJson(),
                    e.mapped(),
                    e.raw(),
                    e.parentTable(),
                    e.parentKey(),
                    e.attempts(),
                    e.nextAttemptAt(),
                    e.reason(),
                    e.createdAt());
        }
    }

    public static void remove(Connection c, long id) throws SQLException {
        Sql.update(c, "DELETE FROM _shuttle_bridge_pending WHERE id = ?", id);
    }

    /** Drops a waiting child whose record was deleted or superseded by a version without a missing parent. */
    public static void removeKey(Connection c, String entity, byte[] bk) throws SQLException {
        Sql.update(c, "DELETE FROM _shuttle_bridge_pending WHERE entity = ? AND bk_hash = ?", entity, bk);
    }

    public static void retryLater(Connection c, long id, int attempts, Instant next, String reason)
            throws SQLException {
        Sql.update(
                c,
                "UPDATE _shuttle_bridge_pending SET attempts = ?, next_attempt_at = ?, reason = ? WHERE id = ?",
                attempts,
                next,
                reason,
                id);
    }

    public static long count(Connection c, String entity) throws SQLException {
        return Sql.queryLong(
                c,
                "SELECT COUNT(*) FROM _shuttle_bridge_pending WHERE (CAST(? AS TEXT) IS NULL OR entity = ?)",
                entity,
                entity);
    }

    /** A page of pending children of the entity after the given id, oldest first. */
    public static List<Entry> page(Connection c, String entity, long afterId, int limit) throws SQLException {
        List<Entry> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.bind(
                        c.prepareStatement(
                                "SELECT * FROM _shuttle_bridge_pending WHERE (CAST(? AS TEXT) IS NULL OR entity = ?)"
                                        + " AND id > ? ORDER BY id LIMIT ?"),
                        entity,
                        entity,
                        afterId,
                        limit);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Entry(
                        rs.getLong("id"),
                        rs.getString("entity"),
                        rs.getBytes("bk_hash"),
                        rs.getBytes("data_hash"),
                        rs.getString("rowversion"),
                        rs.getString("key_json"),
                        rs.getString("mapped"),
                        rs.getString("raw"),
                        rs.getString("parent_table"),
                        rs.getString("parent_key"),
                        rs.getInt("attempts"),
                        Sql.instant(rs.getString("next_attempt_at")),
                        rs.getString("reason"),
                        Sql.instant(rs.getString("created_at"))));
            }
        }
        return out;
    }
}
