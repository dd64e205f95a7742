package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Stored identities ({@code _shuttle_bridge_identity}): per entity and business key, the data hash and
 * row version last ingested, the key values (to delete the target row when the source loses it) and a
 * dense id (for the seen-set of a complete pass). The table's primary key is (entity, order key, BK hash),
 * so identities are clustered in business-key order.
 *
 * <p>A chunk's identities are found with one range scan over the span of its keys when the source
 * delivers records in key order, which is the usual case; keys the scan does not cover (an unordered
 * source, a key far from its neighbours) are looked up by primary key, all of them in one statement whose
 * one parameter is a JSON array of the keys. After a chunk whose range scan covered less than half of its keys,
 * the next chunks skip it. New identities are written sorted by primary key, so writes are sequential too.
 * Writes are batched and flushed by {@link #flush()}.
 */
public final class StateStore implements AutoCloseable {
    private static final int RANGE_SLACK = 64;
    private static final int SKIP_AFTER_SCATTERED = 8;

    /** What is stored for one business key. */
    public record Entry(long id, byte[] dataHash, String rowversion) {}

    /** A stored identity as the reconciler reads it. */
    public record Stored(IdentityKey key, long id, String keyJson) {}

    private record NewIdentity(IdentityKey key, byte[] data, String rowversion, String keyJson, long batchId) {}

    private final Connection c;
    private final long entityId;
    private final boolean rowversions;
    private final PreparedStatement range;
    private final PreparedStatement points;
    private final PreparedStatement update;
    private final PreparedStatement delete;
    private final List<NewIdentity> inserts = new ArrayList<>();
    private boolean pendingUpdate;
    private boolean pendingDelete;
    private int skipRanges;

    /**
     * @param rowversions whether stored row versions matter (the source has them); otherwise lookups do not read them
     */
    public StateStore(Connection c, Dialect dialect, String entity, boolean rowversions) throws SQLException {
        this.c = c;
        this.rowversions = rowversions;
        this.entityId = entityId(c, entity);
        range = c.prepareStatement("SELECT ord, bk_hash, id, data_hash, rowversion FROM _shuttle_bridge_identity"
                + " WHERE entity_id = ? AND ord >= ? AND ord <= ? ORDER BY ord, bk_hash LIMIT ?");
        // each element is the BK hash (32 hex digits) followed by the order key; the keys drive the join
        points = c.prepareStatement("SELECT s.ord, s.bk_hash, s.id, s.data_hash, s.rowversion FROM "
                + dialect.jsonArrayElements("j") + " CROSS JOIN _shuttle_bridge_identity s WHERE s.entity_id = ?"
                + " AND s.ord = " + dialect.hexToBinary("substr(j.value, 33)")
                + " AND s.bk_hash = " + dialect.hexToBinary("substr(j.value, 1, 32)"));
        update = c.prepareStatement("UPDATE _shuttle_bridge_identity SET data_hash = ?, rowversion = ?, batch_id = ?"
                + " WHERE entity_id = ? AND ord = ? AND bk_hash = ?");
        delete = c.prepareStatement(
                "DELETE FROM _shuttle_bridge_identity WHERE entity_id = ? AND ord = ? AND bk_hash = ?");
    }

    /** The stored entries of the given keys; absent keys are absent (other keys of the scanned range may be present). */
    public Map<BkKey, Entry> lookup(List<IdentityKey> keys) throws SQLException {
        Map<BkKey, Entry> out = new HashMap<>(keys.size() * 3);
        if (keys.isEmpty()) {
            return out;
        }
        IdentityKey[] sorted = keys.toArray(IdentityKey[]::new);
        Arrays.sort(sorted, IdentityKey.ORDER);
        int covered = 0;
        if (skipRanges > 0) {
            skipRanges--;
        } else {
            covered = rangeScan(sorted, out);
            if (covered < sorted.length / 2) {
                skipRanges = SKIP_AFTER_SCATTERED;
            }
        }
        if (covered < sorted.length) {
            pointLookups(sorted, covered, out);
        }
        return out;
    }

    /** Reads the identities between the first and last key; returns how many of the sorted keys the rows read cover. */
    private int rangeScan(IdentityKey[] sorted, Map<BkKey, Entry> out) throws SQLException {
        int limit = 2 * sorted.length + RANGE_SLACK;
        range.setLong(1, entityId);
        range.setBytes(2, sorted[0].ord());
        range.setBytes(3, sorted[sorted.length - 1].ord());
        range.setInt(4, limit);
        int rows = 0;
        byte[] lastOrd = null;
        byte[] lastBk = null;
        try (ResultSet rs = range.executeQuery()) {
            while (rs.next()) {
                lastBk = rs.getBytes(2);
                if (++rows == limit) {
                    lastOrd = rs.getBytes(1);
                }
                out.put(
                        new BkKey(lastBk),
                        new Entry(rs.getLong(3), rs.getBytes(4), rowversions ? rs.getString(5) : null));
            }
        }
        if (rows < limit) {
            return sorted.length;
        }
        int covered = 0;
        while (covered < sorted.length && IdentityKey.compare(sorted[covered], lastOrd, lastBk) <= 0) {
            covered++;
        }
        return covered;
    }

    private void pointLookups(IdentityKey[] sorted, int from, Map<BkKey, Entry> out) throws SQLException {
        HexFormat hex = HexFormat.of();
        StringBuilder json = new StringBuilder((sorted.length - from) * 84 + 2).append('[');
        for (int i = from; i < sorted.length; i++) {
            json.append(i == from ? "\"" : ",\"");
            hex.formatHex(json, sorted[i].bk());
            hex.formatHex(json, sorted[i].ord());
            json.append('"');
        }
        points.setString(1, json.append(']').toString());
        points.setLong(2, entityId);
        read(points, out);
    }

    private static void read(PreparedStatement ps, Map<BkKey, Entry> out) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(new BkKey(rs.getBytes(2)), new Entry(rs.getLong(3), rs.getBytes(4), rs.getString(5)));
            }
        }
    }

    /** Stores a new identity; its id is assigned when flushed. */
    public void insert(IdentityKey key, byte[] data, String rowversion, String keyJson, long batchId) {
        inserts.add(new NewIdentity(key, data, rowversion, keyJson, batchId));
    }

    public void update(IdentityKey key, byte[] data, String rowversion, long batchId) throws SQLException {
        update.setBytes(1, data);
        update.setString(2, rowversion);
        update.setLong(3, batchId);
        update.setLong(4, entityId);
        update.setBytes(5, key.ord());
        update.setBytes(6, key.bk());
        update.addBatch();
        pendingUpdate = true;
    }

    public void delete(IdentityKey key) throws SQLException {
        delete.setLong(1, entityId);
        delete.setBytes(2, key.ord());
        delete.setBytes(3, key.bk());
        delete.addBatch();
        pendingDelete = true;
    }

    /** Writes what was buffered (deletes, updates, then inserts in primary-key order with fresh ids). */
    public void flush() throws SQLException {
        if (pendingDelete) {
            delete.executeBatch();
            pendingDelete = false;
        }
        if (pendingUpdate) {
            update.executeBatch();
            pendingUpdate = false;
        }
        if (!inserts.isEmpty()) {
            inserts.sort((a, b) -> IdentityKey.ORDER.compare(a.key(), b.key()));
            long first = allocateIds(inserts.size());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO _shuttle_bridge_identity"
                            + " (entity_id, ord, bk_hash, id, data_hash, rowversion, key_json, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < inserts.size(); i++) {
                    NewIdentity n = inserts.get(i);
                    ps.setLong(1, entityId);
                    ps.setBytes(2, n.key().ord());
                    ps.setBytes(3, n.key().bk());
                    ps.setLong(4, first + i);
                    ps.setBytes(5, n.data());
                    ps.setString(6, n.rowversion());
                    ps.setString(7, n.keyJson());
                    ps.setLong(8, n.batchId());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            inserts.clear();
        }
    }

    /** Drops what was buffered and not flushed (after a rollback). */
    public void discard() throws SQLException {
        inserts.clear();
        update.clearBatch();
        delete.clearBatch();
        pendingUpdate = false;
        pendingDelete = false;
    }

    private long allocateIds(int n) throws SQLException {
        Sql.update(c, "UPDATE _shuttle_bridge_entity SET next_identity = next_identity + ? WHERE id = ?", n, entityId);
        return Sql.queryLong(c, "SELECT next_identity FROM _shuttle_bridge_entity WHERE id = ?", entityId) - n;
    }

    /**
     * Part of a sweep over the entity's identities in primary-key order: those with an id up to
     * {@code maxId} that {@code seen} rejects, at most {@code limit} of them.
     *
     * @param after where the previous part stopped, or null to start
     * @param resumeAfter where to continue, or null when the sweep is complete
     */
    public record Sweep(List<Stored> unseen, IdentityKey resumeAfter) {}

    public Sweep sweep(IdentityKey after, long maxId, LongPredicate seen, int limit) throws SQLException {
        String sql = "SELECT id, ord, bk_hash, key_json FROM _shuttle_bridge_identity WHERE entity_id = ?"
                + (after == null ? "" : " AND (ord, bk_hash) > (?, ?)") + " ORDER BY ord, bk_hash";
        List<Stored> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, entityId);
            if (after != null) {
                ps.setBytes(2, after.ord());
                ps.setBytes(3, after.bk());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    if (id <= maxId && !seen.test(id)) {
                        IdentityKey key = new IdentityKey(rs.getBytes(2), rs.getBytes(3));
                        out.add(new Stored(key, id, rs.getString(4)));
                        if (out.size() >= limit) {
                            return new Sweep(out, key);
                        }
                    }
                }
            }
        }
        return new Sweep(out, null);
    }

    /** The entity's id in {@code _shuttle_bridge_entity}, registering it when new (committed with the caller's transaction). */
    public static long entityId(Connection c, String entity) throws SQLException {
        try (PreparedStatement ps =
                        Sql.bind(c.prepareStatement("SELECT id FROM _shuttle_bridge_entity WHERE name = ?"), entity);
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                return rs.getLong(1);
            }
        }
        return Sql.insertReturningId(
                c, "INSERT INTO _shuttle_bridge_entity (name, next_identity) VALUES (?, 1)", entity);
    }

    /** The highest identity id given so far (ids grow; the seen-set of a pass covers ids up to this value at its start). */
    public static long maxId(Connection c, String entity) throws SQLException {
        return Sql.queryLong(c, "SELECT next_identity - 1 FROM _shuttle_bridge_entity WHERE name = ?", entity);
    }

    public static long count(Connection c, String entity) throws SQLException {
        return Sql.queryLong(
                c,
                "SELECT COUNT(*) FROM _shuttle_bridge_identity i JOIN _shuttle_bridge_entity e"
                        + " ON e.id = i.entity_id WHERE e.name = ?",
                entity);
    }

    @Override
    public void close() throws SQLException {
        range.close();
        points.close();
        update.close();
        delete.close();
    }
}
