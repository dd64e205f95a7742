package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.internal.sync.apply.RestampStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

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
 * own writes of a row are ordered as it made them, so only each node's newest write of a row competes;
 * a node restored from a backup starts a new line of writes, whose first competes with the last of the
 * line before by stamp.
 *
 * <p><b>Writes that no longer exist anywhere.</b> A restore takes back what a database held: a device
 * restored from an older copy loses the writes it made after the copy and never pushed, a restored hub
 * loses what it took after its backup, a lost device what it never pushed. After each such event {@link
 * #retractLost} takes out of the oracle the writes that neither the hub holds (its stamp of the row, or a
 * newer one) nor any device holds as its own write still to be sent: no one acknowledged them, or the one
 * copy that had them is gone, so no replica can be expected to show them. Every other write stands, and
 * one taken out stands again once it exists again (a device restored from an older backup that holds it).
 */
public final class History {
    /**
     * One write: the line it was made in (a node's file, anew after each restore), its feed seq there,
     * its stamp, the row it left (null for a delete), and the columns it wrote with their stamps (its own:
     * the others the row held it took from other writes). {@code lost}: it no longer exists anywhere.
     */
    private static final class Write {
        final String line;
        final Stamp stamp;
        final Map<String, Object> row;
        final Map<String, Stamp> columns;
        boolean lost;
        /** Counted among the writes retracted (not merely superseded by a delete whose tombstone is gone). */
        boolean counted;

        Write(String line, Stamp stamp, Map<String, Object> row, Map<String, Stamp> columns) {
            this.line = line;
            this.stamp = stamp;
            this.row = row;
            this.columns = columns;
        }
    }

    private record Key(String table, List<Object> pk) {
        @Override
        public String toString() {
            return table + " " + pk;
        }
    }

    private final Map<Node, Long> seen = new HashMap<>();
    private final Map<Node, Integer> lines = new HashMap<>();
    private final Map<Key, List<Write>> byRow = new LinkedHashMap<>();
    private final Map<Key, List<Map<String, Object>>> values = new HashMap<>();
    private int writes;
    private int retracted;

    /** Reads the writes {@code node} made since it was last read. */
    public void record(Node node) {
        Feed.compact(node.database());
        long after = seen.getOrDefault(node, 0L);
        String line = node.name() + "#" + lines.getOrDefault(node, 0);
        Map<String, Set<String>> unfilled = node.database().read(NewColumns::pending);
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
            if (row != null && !unfilled.isEmpty()) {
                // a column the node added for its hub's and holds none of the hub's values of yet leaves with the
                // row only where it is not NULL: what the row there holds is not this write's
                Set<String> cols = unfilled.getOrDefault(table.name(), Set.of());
                row.keySet().removeIf(col -> cols.contains(col) && row.get(col) == null);
            }
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
            Map<String, Stamp> columns = row == null ? new LinkedHashMap<>() : ownColumns(node, e, table, stamp, row);
            byRow.computeIfAbsent(key, k -> new ArrayList<>()).add(new Write(line, stamp, row, columns));
        }
        seen.put(node, after);
    }

    /**
     * {@code node}'s file was replaced (restored from a backup, or made as a copy of another's): the
     * writes it holds were read before, from the node it came from; its next writes start a new line.
     */
    public void replaced(Node node) {
        Feed.compact(node.database());
        Object max =
                node.query("SELECT max(seq) AS s FROM _shuttle_feed").get(0).get("s");
        seen.put(node, max == null ? 0L : ((Number) max).longValue());
        lines.merge(node, 1, Integer::sum);
    }

    /**
     * {@code node} took a new identity: the writes it holds that its hub never took are its own again, under
     * the new identity, and are read once more (they go to the hub under it).
     */
    public void renamed(Node node) {
        seen.put(node, 0L);
        lines.merge(node, 1, Integer::sum);
        record(node);
    }

    /** FIELD_LWW: the columns this write wrote, whose column stamp is its own (or absent: the row stamp stands). */
    private static Map<String, Stamp> ownColumns(
            Node node, Map<String, Object> e, SyncedTable table, Stamp stamp, Map<String, Object> row) {
        Map<String, Stamp> stamps = new HashMap<>();
        for (Map<String, Object> s : node.query("""
                SELECT s.col, s.hlc, n.uuid FROM _shuttle_colclock s JOIN _shuttle_nodes n ON n.id = s.origin
                WHERE s.tbl = %s AND s.pk = %s""".formatted(e.get("tbl"), SqlText.literal(e.get("pk"))))) {
            stamps.put((String) s.get("col"), new Stamp((Long) s.get("hlc"), (String) s.get("uuid")));
        }
        Map<String, Stamp> out = new LinkedHashMap<>();
        for (String col : row.keySet()) {
            if (table.key().contains(col)) {
                continue;
            }
            Stamp s = stamps.getOrDefault(col, stamp);
            if (s.hlc() == 0) {
                continue; // a column the row was written without (added since): no write of it
            }
            if (s.origin().equals(stamp.origin())) {
                out.put(col, s); // else a value this node took from another, recorded where it was written
            }
        }
        return out;
    }

    public int writes() {
        return writes;
    }

    /** Writes taken out of the oracle: they no longer exist anywhere ({@link #retractLost}). */
    public int retracted() {
        return retracted;
    }

    public int rowsTracked() {
        return (int) byRow.values().stream()
                .filter(ws -> ws.stream().anyMatch(w -> !w.lost))
                .count();
    }

    /**
     * Takes out of the oracle the writes that exist nowhere any more: neither the hub holds them (the row's
     * or, for a column, the column's stamp there is theirs or newer; a delete of a row the hub does not hold
     * also when the hub has purged tombstones, the row's perhaps among them) nor a device among {@code
     * devices} holds them as its own write still to be sent (its feed entry for the row is the write itself,
     * not one it received). Call it after an event that takes writes back (a restore, a lost device). A write
     * taken out comes back when it exists again: a device restored from a backup holding it (taken before the
     * restore that took it back) pushes it. Returns how many it took out, less those that came back.
     */
    public int retractLost(Node hub, List<? extends Node> devices) {
        Map<Key, Stamp> hubRows = stamps(hub, false);
        Map<Key, Map<String, Stamp>> hubColumns = columnStamps(hub, false);
        Map<Stamp, Long> restamps = restamps(hub);
        // a delete the hub took and whose tombstone it has since purged leaves no trace there: only where the
        // hub has purged tombstones is a delete of a row it does not hold taken for one it holds
        boolean purged = !hub.query("SELECT value FROM _shuttle_meta WHERE key = 'purged_through'")
                .isEmpty();
        List<Map<Key, Stamp>> deviceRows = new ArrayList<>();
        List<Map<Key, Map<String, Stamp>>> deviceColumns = new ArrayList<>();
        for (Node d : devices) {
            deviceRows.add(stamps(d, true));
            deviceColumns.add(columnStamps(d, true));
        }
        int before = retracted;
        byRow.forEach((key, ws) -> {
            for (Write w : ws) {
                Stamp hubStamp = hubRows.get(key);
                Stamp recorded = asHubRecorded(w.stamp, restamps);
                boolean held = (hubStamp != null && !recorded.newerThan(hubStamp))
                        || (hubStamp == null && w.row == null && purged)
                        || deviceRows.stream().anyMatch(m -> w.stamp.equals(m.get(key)))
                        // FIELD_LWW: a column of it that a device holds in a row of its own (a merge it wrote, which
                        // it pushes again) goes back to the hub with that row; a column it carries at the stamp of an
                        // earlier write of its node stands for that write, not for this one
                        || w.columns.entrySet().stream()
                                .filter(col -> col.getValue().equals(w.stamp))
                                .anyMatch(col -> deviceColumns.stream()
                                        .anyMatch(m -> col.getValue()
                                                .equals(m.getOrDefault(key, Map.of())
                                                        .get(col.getKey()))));
                if (w.lost) {
                    if (!held) {
                        continue;
                    }
                    // a device restored from a backup that holds it, taken before the restore that took it back
                    w.lost = false;
                    retracted -= w.counted ? 1 : 0;
                    w.counted = false;
                }
                if (!held) {
                    w.lost = true;
                    // a write older than a delete the hub has since forgotten (its tombstone purged) was not lost:
                    // the delete stands for it
                    boolean superseded = hubStamp == null
                            && ws.stream()
                                    .anyMatch(o -> o != w && !o.lost && o.row == null && o.stamp.newerThan(w.stamp));
                    w.counted = !superseded;
                    retracted += superseded ? 0 : 1;
                    continue;
                }
                w.columns.keySet().removeIf(col -> {
                    Stamp s = asHubRecorded(w.columns.get(col), restamps);
                    Stamp h = hubColumns.getOrDefault(key, Map.of()).getOrDefault(col, hubStamp);
                    if (h != null && !s.newerThan(h)) {
                        return false;
                    }
                    // a column without a stamp of its own on a device carries the row's (an LWW table's, say)
                    return java.util.stream.IntStream.range(0, deviceColumns.size())
                            .noneMatch(i -> w.columns
                                    .get(col)
                                    .equals(deviceColumns
                                            .get(i)
                                            .getOrDefault(key, Map.of())
                                            .getOrDefault(col, deviceRows.get(i).get(key))));
                });
            }
        });
        return retracted - before;
    }

    /**
     * LWW: every written row holds its highest-stamped write (absent when that was a delete), stamps read
     * as the hub recorded them.
     */
    public List<String> checkRows(Node hub) {
        return checkRows(hub, t -> true);
    }

    /** {@link #checkRows(Node)} for the tables {@code tables} accepts. */
    public List<String> checkRows(Node hub, Predicate<String> tables) {
        Map<String, Map<List<Object>, Map<String, Object>>> rows = hubRows(hub);
        Map<Stamp, Long> restamps = restamps(hub);
        List<String> out = new ArrayList<>();
        byRow.forEach((key, ws) -> {
            if (!tables.test(key.table())) {
                return;
            }
            // each line's newest write of the row (writes of one line are read in the order they were made)
            Map<List<String>, Write> lastOfLine = new LinkedHashMap<>();
            for (Write candidate : ws) {
                if (!candidate.lost) {
                    lastOfLine.put(List.of(candidate.stamp.origin(), candidate.line), candidate);
                }
            }
            Write w = null;
            Stamp newest = null;
            for (Write candidate : lastOfLine.values()) {
                Stamp s = asHubRecorded(candidate.stamp, restamps);
                if (w == null || s.newerThan(newest)) {
                    w = candidate;
                    newest = s;
                }
            }
            if (w == null) {
                return;
            }
            Map<String, Object> actual = within(rows.get(key.table()).get(key.pk()), w.row);
            if (!Objects.equals(actual, w.row)) {
                out.add(key + ": hub " + RowValues.showRow(actual) + ", newest write " + RowValues.showRow(w.row) + " @"
                        + newest);
            }
        });
        return out;
    }

    /** How many pushed writes the hub re-stamped to its clock. */
    public int restamped(Node hub) {
        return restamps(hub).size();
    }

    /** The stamp the hub gave a write, where it re-stamped it. */
    private static Stamp asHubRecorded(Stamp s, Map<Stamp, Long> restamps) {
        Long hlc = restamps.get(s);
        return hlc == null ? s : new Stamp(hlc, s.origin());
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
        byRow.forEach((key, ws) -> {
            Write newest = null;
            Stamp deleted = null;
            Map<String, Stamp> columnStamp = new HashMap<>();
            Map<String, Object> columnValue = new HashMap<>();
            for (Write w : ws) {
                if (w.lost) {
                    continue;
                }
                newest = newest == null || w.stamp.newerThan(newest.stamp) ? w : newest;
                if (w.row == null) {
                    deleted = w.stamp.newerThan(deleted) ? w.stamp : deleted;
                    continue;
                }
                for (var col : w.columns.entrySet()) {
                    if (col.getValue().newerThan(columnStamp.get(col.getKey()))) {
                        columnStamp.put(col.getKey(), col.getValue());
                        columnValue.put(col.getKey(), w.row.get(col.getKey()));
                    }
                }
            }
            if (newest == null) {
                return;
            }
            Map<String, Object> actual = rows.get(key.table()).get(key.pk());
            if (newest.row == null) {
                if (actual != null) {
                    out.add(key + ": hub " + RowValues.showRow(actual) + ", newest write a delete @" + newest.stamp);
                }
                return;
            }
            if (actual == null) {
                out.add(key + ": absent on the hub, newest write " + RowValues.showRow(newest.row) + " @"
                        + newest.stamp);
                return;
            }
            for (var col : columnStamp.entrySet()) {
                if (deleted != null && !col.getValue().newerThan(deleted)) {
                    continue;
                }
                Object expected = columnValue.get(col.getKey());
                if (!Objects.equals(actual.get(col.getKey()), expected)) {
                    out.add(key + "." + col.getKey() + ": hub " + RowValues.show(actual.get(col.getKey()))
                            + ", newest write of the column " + RowValues.show(expected) + " @" + col.getValue());
                }
            }
        });
        return out;
    }

    /** Any policy: every row the hub holds is one some node wrote (nothing invented or half-merged). */
    public List<String> checkWritten(Node hub) {
        List<String> out = new ArrayList<>();
        hubRows(hub)
                .forEach((table, rows) -> rows.forEach((pk, row) -> {
                    List<Map<String, Object>> made = values.getOrDefault(new Key(table, pk), List.of());
                    if (made.stream().noneMatch(m -> m != null && within(row, m).equals(m))) {
                        out.add(new Key(table, pk) + ": hub " + RowValues.showRow(row)
                                + " was never written by any node");
                    }
                }));
        return out;
    }

    /**
     * {@code row} with only the columns {@code write} holds, where {@code write} holds fewer (a write made
     * before its node had the table's newer columns says nothing of them); {@code row} as it is otherwise.
     */
    private static Map<String, Object> within(Map<String, Object> row, Map<String, Object> write) {
        if (row == null || write == null || write.keySet().containsAll(row.keySet())) {
            return row;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        row.forEach((col, v) -> {
            if (write.containsKey(col)) {
                out.put(col, v);
            }
        });
        return out;
    }

    private static Map<String, Map<List<Object>, Map<String, Object>>> hubRows(Node hub) {
        Map<String, Map<List<Object>, Map<String, Object>>> out = new LinkedHashMap<>();
        for (SyncedTable t : EngineAccess.context(hub.engine()).schema().tables()) {
            out.put(t.name(), TableRows.read(hub.database(), t));
        }
        return out;
    }

    /**
     * The stamp of every row's feed entry on {@code node}; with {@code ownOnly}, only of the entries that
     * are the node's own writes still to be sent from there (not ones it received).
     */
    private static Map<Key, Stamp> stamps(Node node, boolean ownOnly) {
        Feed.compact(node.database());
        Map<Key, Stamp> out = new HashMap<>();
        for (Map<String, Object> e : node.query("""
                SELECT t.name, f.pk, f.hlc, n.uuid
                FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin JOIN _shuttle_tables t ON t.id = f.tbl
                """ + (ownOnly ? "WHERE f.origin = 0 AND f.via IS NULL" : ""))) {
            out.put(key(node, e), new Stamp((Long) e.get("hlc"), (String) e.get("uuid")));
        }
        return out;
    }

    /** The column stamps of every row on {@code node} (with {@code ownOnly}, of the rows whose entry is its own). */
    private static Map<Key, Map<String, Stamp>> columnStamps(Node node, boolean ownOnly) {
        Map<Key, Map<String, Stamp>> out = new HashMap<>();
        for (Map<String, Object> e : node.query("""
                SELECT t.name, s.pk, s.col, s.hlc, n.uuid
                FROM _shuttle_colclock s JOIN _shuttle_nodes n ON n.id = s.origin JOIN _shuttle_tables t ON t.id = s.tbl
                JOIN _shuttle_feed f ON f.tbl = s.tbl AND f.pk = s.pk
                """ + (ownOnly ? "WHERE f.origin = 0 AND f.via IS NULL" : ""))) {
            out.computeIfAbsent(key(node, e), k -> new HashMap<>())
                    .put((String) e.get("col"), new Stamp((Long) e.get("hlc"), (String) e.get("uuid")));
        }
        return out;
    }

    private static Key key(Node node, Map<String, Object> e) {
        SyncedTable table = EngineAccess.context(node.engine()).schema().require((String) e.get("name"));
        List<Object> pk = Dialects.of(node.database()).capture().decodeKey(table, e.get("pk"));
        return new Key(table.name(), pk.stream().map(RowValues::normalize).toList());
    }

    /** The row with key {@code pk} (as the feed decodes it) as it is now on {@code node}, normalized; null when gone. */
    private static Map<String, Object> row(Node node, SyncedTable table, List<Object> pk) {
        List<Map<String, Object>> rows = node.query("SELECT " + SqlText.columns(table.replicatedColumns()) + " FROM "
                + SqlText.quote(table.name()) + " WHERE " + SqlText.where(table.key(), pk));
        return rows.isEmpty() ? null : RowValues.normalize(rows.get(0));
    }
}
