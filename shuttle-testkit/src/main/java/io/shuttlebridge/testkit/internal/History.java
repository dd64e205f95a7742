package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.apply.RestampStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every write made anywhere, as the node that made it saw it: after each write or sync the node's
 * feed is read for its own entries (application writes, and the deletes or merges it made while
 * applying) with the row as it then was. A write overwritten before it is read had a newer write
 * after it on the same node, which is read instead, so the newest write of every row and column is
 * always known: that is the oracle. Rows are known by table and primary key (any key: integer,
 * text, composite), values compared as {@link RowValues} normalizes them.
 *
 * <p>Stamps are compared as the hub recorded them: a write the hub re-stamped to its clock (it was
 * stamped beyond the hub's skew bound) counts with the hub's stamp ({@link RestampStore}). Each node's
 * own writes of a row are ordered as it made them, so only each node's newest write of a row competes.
 */
public final class History {
    /** One write: its stamp and the row it left (null for a delete). */
    record Write(Stamp stamp, Map<String, Object> row) {}

    private record Key(String table, List<Object> pk) {
        @Override
        public String toString() {
            return table + " " + pk;
        }
    }

    private final Map<Node, Long> seen = new HashMap<>();
    private final Map<Key, Write> newest = new LinkedHashMap<>();
    /** Per row, each node's newest write of it, by the node's uuid. */
    private final Map<Key, Map<String, Write>> newestByNode = new LinkedHashMap<>();

    private final Map<Key, Stamp> newestDelete = new HashMap<>();
    private final Map<Key, Map<String, Write>> newestColumn = new HashMap<>();
    private final Map<Key, List<Map<String, Object>>> values = new HashMap<>();
    private int writes;

    /** Reads the writes {@code node} made since it was last read. */
    public void record(Node node) {
        Feed.compact(node.database());
        long after = seen.getOrDefault(node, 0L);
        List<Map<String, Object>> entries = node.query("""
                SELECT t.name, f.tbl, f.pk, f.seq, f.op, f.hlc, n.uuid
                FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin JOIN _shuttle_tables t ON t.id = f.tbl
                WHERE f.origin = 0 AND f.seq > %d ORDER BY f.seq""".formatted(after));
        for (Map<String, Object> e : entries) {
            writes++;
            after = Math.max(after, (Long) e.get("seq"));
            SyncedTable table = EngineAccess.context(node.engine()).schema().require((String) e.get("name"));
            List<Object> pk = Dialects.of(node.database()).capture().decodeKey(table, e.get("pk"));
            Key key =
                    new Key(table.name(), pk.stream().map(RowValues::normalize).toList());
            Stamp stamp = new Stamp((Long) e.get("hlc"), (String) e.get("uuid"));
            Map<String, Object> row = ((Long) e.get("op")) == 1L ? row(node, table, pk) : null;
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
            newest.merge(key, new Write(stamp, row), (a, b) -> b.stamp().newerThan(a.stamp()) ? b : a);
            newestByNode.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(stamp.origin(), new Write(stamp, row));
            if (row == null) {
                newestDelete.merge(key, stamp, (a, b) -> b.newerThan(a) ? b : a);
            } else {
                recordColumns(node, e, table, key, stamp, row);
            }
        }
        seen.put(node, after);
    }

    /** FIELD_LWW: a column was written by this write when its column stamp is this node's (or absent: the row stamp stands). */
    private void recordColumns(
            Node node, Map<String, Object> e, SyncedTable table, Key key, Stamp stamp, Map<String, Object> row) {
        Map<String, Stamp> stamps = new HashMap<>();
        for (Map<String, Object> s : node.query("""
                SELECT s.col, s.hlc, n.uuid FROM _shuttle_colclock s JOIN _shuttle_nodes n ON n.id = s.origin
                WHERE s.tbl = %s AND s.pk = %s""".formatted(e.get("tbl"), SqlText.literal(e.get("pk"))))) {
            stamps.put((String) s.get("col"), new Stamp((Long) s.get("hlc"), (String) s.get("uuid")));
        }
        Map<String, Write> cols = newestColumn.computeIfAbsent(key, k -> new HashMap<>());
        for (var col : row.entrySet()) {
            if (table.key().contains(col.getKey())) {
                continue;
            }
            Stamp s = stamps.getOrDefault(col.getKey(), stamp);
            if (!s.origin().equals(stamp.origin())) {
                continue; // a value this node took from another, recorded where it was written
            }
            Map<String, Object> v = new HashMap<>();
            v.put(col.getKey(), col.getValue());
            cols.merge(col.getKey(), new Write(s, v), (a, b) -> b.stamp().newerThan(a.stamp()) ? b : a);
        }
    }

    public int writes() {
        return writes;
    }

    public int rowsTracked() {
        return newest.size();
    }

    /**
     * LWW: every written row holds its highest-stamped write (absent when that was a delete), stamps read
     * as the hub recorded them.
     */
    public List<String> checkRows(Node hub) {
        Map<String, Map<List<Object>, Map<String, Object>>> rows = hubRows(hub);
        Map<Stamp, Long> restamps = restamps(hub);
        List<String> out = new ArrayList<>();
        newestByNode.forEach((key, byNode) -> {
            Write w = null;
            for (Write candidate : byNode.values()) {
                Write c = asHubRecorded(candidate, restamps);
                w = w == null || c.stamp().newerThan(w.stamp()) ? c : w;
            }
            Map<String, Object> actual = rows.get(key.table()).get(key.pk());
            if (!Objects.equals(actual, w.row())) {
                out.add(key + ": hub " + RowValues.showRow(actual) + ", newest write " + RowValues.showRow(w.row())
                        + " @" + w.stamp());
            }
        });
        return out;
    }

    /** How many pushed writes the hub re-stamped to its clock. */
    public int restamped(Node hub) {
        return restamps(hub).size();
    }

    /** The write with the stamp the hub gave it, where it re-stamped it. */
    private static Write asHubRecorded(Write w, Map<Stamp, Long> restamps) {
        Long hlc = restamps.get(w.stamp());
        return hlc == null ? w : new Write(new Stamp(hlc, w.stamp().origin()), w.row());
    }

    private static Map<Stamp, Long> restamps(Node hub) {
        return hub.database().read(RestampStore::all);
    }

    /**
     * FIELD_LWW: a row whose newest write is a delete is absent; otherwise every column holds the
     * value of its highest-stamped write newer than the last delete.
     */
    public List<String> checkColumns(Node hub) {
        Map<String, Map<List<Object>, Map<String, Object>>> rows = hubRows(hub);
        List<String> out = new ArrayList<>();
        newest.forEach((key, w) -> {
            Map<String, Object> actual = rows.get(key.table()).get(key.pk());
            if (w.row() == null) {
                if (actual != null) {
                    out.add(key + ": hub " + RowValues.showRow(actual) + ", newest write a delete @" + w.stamp());
                }
                return;
            }
            if (actual == null) {
                out.add(key + ": absent on the hub, newest write " + RowValues.showRow(w.row()) + " @" + w.stamp());
                return;
            }
            Stamp deleted = newestDelete.get(key);
            newestColumn.getOrDefault(key, Map.of()).forEach((col, cw) -> {
                if (deleted != null && !cw.stamp().newerThan(deleted)) {
                    return;
                }
                Object expected = cw.row().get(col);
                if (!Objects.equals(actual.get(col), expected)) {
                    out.add(key + "." + col + ": hub " + RowValues.show(actual.get(col))
                            + ", newest write of the column " + RowValues.show(expected) + " @" + cw.stamp());
                }
            });
        });
        return out;
    }

    /** Any policy: every row the hub holds is one some node wrote (nothing invented or half-merged). */
    public List<String> checkWritten(Node hub) {
        List<String> out = new ArrayList<>();
        hubRows(hub)
                .forEach((table, rows) -> rows.forEach((pk, row) -> {
                    List<Map<String, Object>> made = values.getOrDefault(new Key(table, pk), List.of());
                    if (!made.contains(row)) {
                        out.add(new Key(table, pk) + ": hub " + RowValues.showRow(row)
                                + " was never written by any node");
                    }
                }));
        return out;
    }

    private static Map<String, Map<List<Object>, Map<String, Object>>> hubRows(Node hub) {
        Map<String, Map<List<Object>, Map<String, Object>>> out = new LinkedHashMap<>();
        for (SyncedTable t : EngineAccess.context(hub.engine()).schema().tables()) {
            out.put(t.name(), TableRows.read(hub.database(), t));
        }
        return out;
    }

    /** The row with key {@code pk} (as the feed decodes it) as it is now on {@code node}, normalized; null when gone. */
    private static Map<String, Object> row(Node node, SyncedTable table, List<Object> pk) {
        List<Map<String, Object>> rows = node.query("SELECT " + SqlText.columns(table.replicatedColumns()) + " FROM "
                + SqlText.quote(table.name()) + " WHERE " + SqlText.where(table.key(), pk));
        return rows.isEmpty() ? null : RowValues.normalize(rows.get(0));
    }
}
