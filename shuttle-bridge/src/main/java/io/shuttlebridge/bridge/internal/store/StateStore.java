package io.shuttlebridge.bridge.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Stored identities: per entity and business-key hash, the data hash and row version last ingested,
 * and the key values (to delete the target row when the source loses it). Statements are prepared
 * once per connection (on SQLite a chunk's keys are looked up with one {@code json_each} parameter); writes are batched and flushed by {@link #flush()}.
 */
public final class StateStore implements AutoCloseable {
    private static final int LOOKUP_WIDTH = 500;

    /** What is stored for one business key. */
    public record Entry(long id, byte[] dataHash, String rowversion, String keyJson) {}

    private final String entity;
    private final PreparedStatement lookup;
    private final PreparedStatement lookupJson;
    private final PreparedStatement insert;
    private final PreparedStatement update;
    private final PreparedStatement delete;
    private boolean pendingInsert;
    private boolean pendingUpdate;
    private boolean pendingDelete;

    public StateStore(Connection c, String entity) throws SQLException {
        this.entity = entity;
        StringBuilder in = new StringBuilder();
        for (int i = 0; i < LOOKUP_WIDTH; i++) {
            in.append(i == 0 ? "?" : ",?");
        }
        lookup = c.prepareStatement("SELECT id, bk_hash, data_hash, rowversion, key_json FROM _shuttle_bridge_state"
                + " WHERE entity = ? AND bk_hash IN (" + in + ")");
        lookupJson = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("sqlite")
                ? c.prepareStatement("SELECT s.id, s.bk_hash, s.data_hash, s.rowversion, s.key_json FROM json_each(?) j"
                        + " CROSS JOIN _shuttle_bridge_state s ON s.entity = ? AND s.bk_hash = unhex(j.value)")
                : null;
        insert = c.prepareStatement("INSERT INTO _shuttle_bridge_state (entity, bk_hash, data_hash, rowversion, key_json, batch_id)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        update = c.prepareStatement("UPDATE _shuttle_bridge_state SET data_hash = ?, rowversion = ?, batch_id = ? WHERE id = ?");
        delete = c.prepareStatement("DELETE FROM _shuttle_bridge_state WHERE id = ?");
    }

    /** Looks up the stored entries of the given keys; absent keys are absent from the result. */
    public Map<BkKey, Entry> lookup(Collection<BkKey> keys) throws SQLException {
        Map<BkKey, Entry> out = new HashMap<>(keys.size() * 2);
        if (lookupJson != null) {
            StringBuilder json = new StringBuilder(keys.size() * 35 + 2).append('[');
            java.util.HexFormat hex = java.util.HexFormat.of();
            for (BkKey k : keys) {
                json.append(json.length() == 1 ? "\"" : ",\"");
                hex.formatHex(json, k.bytes());
                json.append('"');
            }
            lookupJson.setString(1, json.append(']').toString());
            lookupJson.setString(2, entity);
            try (ResultSet rs = lookupJson.executeQuery()) {
                while (rs.next()) {
                    out.put(new BkKey(rs.getBytes(2)), new Entry(rs.getLong(1), rs.getBytes(3), rs.getString(4), rs.getString(5)));
                }
            }
            return out;
        }
        Iterator<BkKey> it = keys.iterator();
        while (it.hasNext()) {
            lookup.setString(1, entity);
            byte[] last = null;
            for (int i = 0; i < LOOKUP_WIDTH; i++) {
                if (it.hasNext()) {
                    last = it.next().bytes();
                }
                lookup.setBytes(i + 2, last);
            }
            try (ResultSet rs = lookup.executeQuery()) {
                while (rs.next()) {
                    out.put(new BkKey(rs.getBytes(2)), new Entry(rs.getLong(1), rs.getBytes(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    public void insert(byte[] bk, byte[] data, String rowversion, String keyJson, long batchId) throws SQLException {
        insert.setString(1, entity);
        insert.setBytes(2, bk);
        insert.setBytes(3, data);
        insert.setString(4, rowversion);
        insert.setString(5, keyJson);
        insert.setLong(6, batchId);
        insert.addBatch();
        pendingInsert = true;
    }

    public void update(long id, byte[] data, String rowversion, long batchId) throws SQLException {
        update.setBytes(1, data);
        update.setString(2, rowversion);
        update.setLong(3, batchId);
        update.setLong(4, id);
        update.addBatch();
        pendingUpdate = true;
    }

    public void delete(long id) throws SQLException {
        delete.setLong(1, id);
        delete.addBatch();
        pendingDelete = true;
    }

    public void flush() throws SQLException {
        if (pendingDelete) {
            delete.executeBatch();
            pendingDelete = false;
        }
        if (pendingUpdate) {
            update.executeBatch();
            pendingUpdate = false;
        }
        if (pendingInsert) {
            insert.executeBatch();
            pendingInsert = false;
        }
    }

    public static long maxId(Connection c, String entity) throws SQLException {
        return Sql.queryLong(c, "SELECT COALESCE(MAX(id), 0) FROM _shuttle_bridge_state WHERE entity = ?", entity);
    }

    public static long count(Connection c, String entity) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM _shuttle_bridge_state WHERE entity = ?", entity);
    }

    @Override
    public void close() throws SQLException {
        lookup.close();
        if (lookupJson != null) {
            lookupJson.close();
        }
        insert.close();
        update.close();
        delete.close();
    }
}
