package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.EntryBase;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What this replica holds for one row: its feed entry (stamp, version, base) and, on demand, its values.
 * {@code relayPending}: on a tier hub (a hub that is itself a device of an upstream hub), the entry is a
 * write one of its own devices sent, which the upstream hub, the sender of the changes being applied,
 * has not taken yet; such a write is as unacknowledged as the replica's own unpushed writes. {@code
 * fromUpstream}: on a device, the entry is one it received from the hub whose changes are being applied.
 * Internal.
 */
record LocalRow(
        Object storedKey, Op op, Stamp stamp, long version, long base, boolean relayPending, boolean fromUpstream) {

    LocalRow(Object storedKey, Op op, Stamp stamp, long version, long base) {
        this(storedKey, op, stamp, version, base, false);
    }

    LocalRow(Object storedKey, Op op, Stamp stamp, long version, long base, boolean relayPending) {
        this(storedKey, op, stamp, version, base, relayPending, false);
    }

    boolean tombstone() {
        return op == Op.DELETE;
    }

    /** Feed entries with their origin's uuid and effective base, read by {@link #read}; a WHERE clause follows. */
    /** Whether the entry was not taken by the hub this replica pushes to: after the push cursor, or refused. */
    private static final String UNPUSHED =
            "CASE WHEN f.seq > (SELECT coalesce(max(last_pushed), 0) FROM _shuttle_peers)"
                    + " OR EXISTS (SELECT 1 FROM _shuttle_refused r WHERE r.seq = f.seq) THEN 1 ELSE 0 END";

    private static final String SELECT = "SELECT f.pk, f.op, f.hlc, n.uuid, f.version, " + EntryBase.of("f")
            + ", v.uuid, " + UNPUSHED
            + " FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin LEFT JOIN _shuttle_nodes v ON v.id = f.via";

    static String lookupSql(Dialect d, SyncedTable t) {
        return SELECT + " WHERE f.tbl = ? AND f.pk = " + d.capture().keyParameterExpression(t);
    }

    /**
     * {@code hub}: the upstream hub whose changes are being applied (a batch applied as a device), or null;
     * an entry another node sent ({@code via}) that this hub has not taken is {@link #relayPending}, one
     * the hub sent is {@link #fromUpstream}.
     */
    private static LocalRow read(ResultSet rs, String hub) throws SQLException {
        String via = rs.getString(7);
        boolean relayPending = hub != null && via != null && !via.equals(hub) && rs.getInt(8) == 1;
        return new LocalRow(
                Jdbc.readValue(rs, 1),
                Op.ofCode(rs.getInt(2)),
                new Stamp(rs.getLong(3), rs.getString(4)),
                rs.getLong(5),
                rs.getLong(6),
                relayPending,
                hub != null && hub.equals(via));
    }

    static LocalRow load(Connection c, Dialect d, SyncedTable t, List<Object> key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(lookupSql(d, t))) {
            return load(ps, t, key, null);
        }
    }

    /** Runs a statement prepared from {@link #lookupSql}. */
    static LocalRow load(PreparedStatement ps, SyncedTable t, List<Object> key, String hub) throws SQLException {
        ps.setInt(1, t.id());
        for (int i = 0; i < key.size(); i++) {
            ps.setObject(i + 2, key.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return read(rs, hub);
        }
    }

    /** Keys per prefetch query: one statement of this width is prepared per table, the last chunk padded. */
    private static final int CHUNK = 1000;

    /**
     * Entries of many rows of one table at once, by stored feed key (absent rows are missing from the
     * map). {@code storedKeys} are the feed's stored forms, as {@code keyParameterExpression} computes them.
     */
    static Map<Object, LocalRow> loadAll(Connection c, Dialect d, SyncedTable t, List<Object> storedKeys, String hub)
            throws SQLException {
        Map<Object, LocalRow> out = new HashMap<>();
        if (storedKeys.isEmpty()) {
            return out;
        }
        int width = Math.min(CHUNK, storedKeys.size());
        String sql = SELECT + " WHERE f.tbl = ? AND " + d.capture().feedKeysCondition("f.pk", width);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, t.id());
            for (int from = 0; from < storedKeys.size(); from += width) {
                int to = Math.min(storedKeys.size(), from + width);
                List<Object> part = new ArrayList<>(storedKeys.subList(from, to));
                while (part.size() < width) {
                    part.add(
                            storedKeys.get(from)); // a short last chunk repeats a key: the condition ignores duplicates
                }
                d.capture().bindFeedKeys(ps, 2, part);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        LocalRow row = read(rs, hub);
                        out.put(FeedReader.keyOf(row.storedKey()), row);
                    }
                }
            }
        }
        return out;
    }

    /** Current values of the row (replicated columns), or null when it does not exist. */
    static Map<String, Object> values(Connection c, Dialect d, SyncedTable t, List<Object> key) throws SQLException {
        List<String> cols = t.replicatedColumns();
        String sql = "SELECT " + cols.stream().map(d::quote).collect(Collectors.joining(", ")) + " FROM "
                + d.quote(t.name()) + " WHERE "
                + t.key().stream().map(k -> d.quote(k) + " = ?").collect(Collectors.joining(" AND "));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < key.size(); i++) {
                ps.setObject(i + 1, key.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < cols.size(); i++) {
                    out.put(cols.get(i), Jdbc.readValue(rs, i + 1));
                }
                return out;
            }
        }
    }
}
