package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.feed.Feed;
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
 * always known: that is the oracle.
 */
final class History {
    /** One write: its stamp and the row it left (null for a delete). */
    record Write(Stamp stamp, Map<String, Object> row) {}

    private record Key(String table, Object pk) {}

    private final Map<SimCluster.Node, Long> seen = new HashMap<>();
    private final Map<Key, Write> newest = new LinkedHashMap<>();
    private final Map<Key, Stamp> newestDelete = new HashMap<>();
    private final Map<Key, Map<String, Write>> newestColumn = new HashMap<>();
    private final Map<Key, List<Map<String, Object>>> values = new HashMap<>();
    private int writes;

    /** Reads the writes {@code node} made since it was last read. */
    void record(SimCluster.Node node) {
        Feed.compact(node.db());
        long after = seen.getOrDefault(node, 0L);
        List<Map<String, Object>> entries = node.query("SELECT t.name, f.tbl, f.pk, f.seq, f.op, f.hlc, n.uuid"
                + " FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin JOIN _shuttle_tables t ON t.id = f.tbl"
                + " WHERE f.origin = 0 AND f.seq > " + after + " ORDER BY f.seq");
        for (Map<String, Object> e : entries) {
            writes++;
            after = Math.max(after, (Long) e.get("seq"));
            Key key = new Key((String) e.get("name"), key(e.get("pk")));
            Stamp stamp = new Stamp((Long) e.get("hlc"), (String) e.get("uuid"));
            Map<String, Object> row = null;
            if (((Long) e.get("op")) == 1L) {
                List<Map<String, Object>> rows = node.query("SELECT * FROM " + key.table() + " WHERE id = " + key.pk());
                row = rows.isEmpty() ? null : rows.get(0);
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
            Write w = new Write(stamp, row);
            newest.merge(key, w, (a, b) -> b.stamp().newerThan(a.stamp()) ? b : a);
            if (row == null) {
                newestDelete.merge(key, stamp, (a, b) -> b.newerThan(a) ? b : a);
            } else {
                recordColumns(node, e, key, stamp, row);
            }
        }
        seen.put(node, after);
    }

    /** FIELD_LWW: a column was written by this write when its column stamp is this node's (or absent: the row stamp stands). */
    private void recordColumns(
            SimCluster.Node node, Map<String, Object> e, Key key, Stamp stamp, Map<String, Object> row) {
        Map<String, Stamp> stamps = new HashMap<>();
        for (Map<String, Object> s : node.query("SELECT s.col, s.hlc, n.uuid FROM _shuttle_colclock s"
                + " JOIN _shuttle_nodes n ON n.id = s.origin WHERE s.tbl = " + e.get("tbl") + " AND s.pk = "
                + literal(e.get("pk")))) {
            stamps.put((String) s.get("col"), new Stamp((Long) s.get("hlc"), (String) s.get("uuid")));
        }
        Map<String, Write> cols = newestColumn.computeIfAbsent(key, k -> new HashMap<>());
        for (var col : row.entrySet()) {
            if (col.getKey().equals("id")) {
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

    /**
     * The simulated keys are integers; a feed holds them as integers on SQLite and as their text on
     * PostgreSQL. Keys are kept as {@code Long} so that one row's writes on any node meet.
     */
    private static Object key(Object feedKey) {
        return feedKey instanceof String s ? Long.valueOf(s) : feedKey;
    }

    /** A feed key as an SQL literal of the type the feed stores it as. */
    private static String literal(Object feedKey) {
        return feedKey instanceof String s ? "'" + s.replace("'", "''") + "'" : String.valueOf(feedKey);
    }

    int writes() {
        return writes;
    }

    /** LWW: every written row holds its highest-stamped write (absent when that was a delete). */
    List<String> checkRows(SimCluster.Node hub) {
        List<String> out = new ArrayList<>();
        newest.forEach((key, w) -> {
            Map<String, Object> actual = row(hub, key);
            if (!Objects.equals(actual, w.row())) {
                out.add(key.table() + " " + key.pk() + ": hub " + actual + ", newest write " + w.row() + " @"
                        + w.stamp());
            }
        });
        return out;
    }

    /**
     * FIELD_LWW: a row whose newest write is a delete is absent; otherwise every column holds the
     * value of its highest-stamped write newer than the last delete.
     */
    List<String> checkColumns(SimCluster.Node hub) {
        List<String> out = new ArrayList<>();
        newest.forEach((key, w) -> {
            Map<String, Object> actual = row(hub, key);
            if (w.row() == null) {
                if (actual != null) {
                    out.add(key.table() + " " + key.pk() + ": hub " + actual + ", newest write a delete @" + w.stamp());
                }
                return;
            }
            if (actual == null) {
                out.add(key.table() + " " + key.pk() + ": absent on the hub, newest write " + w.row() + " @"
                        + w.stamp());
                return;
            }
            Stamp deleted = newestDelete.get(key);
            newestColumn.getOrDefault(key, Map.of()).forEach((col, cw) -> {
                if (deleted != null && !cw.stamp().newerThan(deleted)) {
                    return;
                }
                Object expected = cw.row().get(col);
                if (!Objects.equals(actual.get(col), expected)) {
                    out.add(key.table() + " " + key.pk() + "." + col + ": hub " + actual.get(col)
                            + ", newest write of the column " + expected + " @" + cw.stamp());
                }
            });
        });
        return out;
    }

    /** Any policy: every row the hub holds is one some node wrote (nothing invented or half-merged). */
    List<String> checkWritten(SimCluster.Node hub, List<String> tables) {
        List<String> out = new ArrayList<>();
        for (String table : tables) {
            for (Map<String, Object> row : hub.rows(table)) {
                List<Map<String, Object>> made = values.getOrDefault(new Key(table, row.get("id")), List.of());
                if (!made.contains(row)) {
                    out.add(table + " " + row.get("id") + ": hub " + row + " was never written by any node");
                }
            }
        }
        return out;
    }

    int rowsTracked() {
        return newest.size();
    }

    private static Map<String, Object> row(SimCluster.Node hub, Key key) {
        List<Map<String, Object>> rows = hub.query("SELECT * FROM " + key.table() + " WHERE id = " + key.pk());
        return rows.isEmpty() ? null : rows.get(0);
    }
}
