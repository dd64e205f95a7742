package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A resync from the hub's snapshot removes what the snapshot no longer holds. Behind the hub's purge
 * horizon, deletes made meanwhile are gone from the hub (their tombstones purged), so the snapshot
 * cannot say "deleted": every row this device received from the hub or pushed to it that the
 * snapshot does not carry is removed once the snapshot is applied, without capturing the delete;
 * rows written here and not pushed yet stay, and go to the hub as usual. The rows the snapshot
 * carried are noted in {@code _shuttle_resync} as its pages are applied. Internal.
 */
final class ResyncSweep {
    private static final Logger log = LoggerFactory.getLogger(ResyncSweep.class);

    private ResyncSweep() {}

    /** A resync starts: nothing seen yet. */
    static void begin(Connection c) throws SQLException {
        Jdbc.execute(c, "CREATE TABLE IF NOT EXISTS _shuttle_resync AS SELECT tbl, pk FROM _shuttle_feed WHERE 1 = 0");
        // the sweep looks each of the table's entries up here: without an index, once per entry through all
        Jdbc.execute(c, "CREATE INDEX IF NOT EXISTS _shuttle_resync_entry ON _shuttle_resync (tbl, pk)");
        Jdbc.execute(c, "DELETE FROM _shuttle_resync");
    }

    /**
     * Notes the rows of an applied snapshot page, by their keys: those the page wrote, and those it left
     * waiting for a parent row that a later page may bring (then written, with no page of their own to
     * note them).
     */
    static void seen(Connection c, Dialect dialect, SyncSchema schema, List<Change> page) throws SQLException {
        Map<SyncedTable, List<Change>> byTable = new LinkedHashMap<>();
        for (Change ch : page) {
            schema.table(ch.table())
                    .ifPresent(t ->
                            byTable.computeIfAbsent(t, k -> new ArrayList<>()).add(ch));
        }
        for (var e : byTable.entrySet()) {
            SyncedTable t = e.getKey();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO _shuttle_resync (tbl, pk) VALUES (?, "
                    + dialect.capture().keyParameterExpression(t) + ")")) {
                for (Change ch : e.getValue()) {
                    ps.setInt(1, t.id());
                    for (int i = 0; i < ch.key().size(); i++) {
                        ps.setObject(i + 2, ch.key().get(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    /**
     * Removes the rows the hub had (received from it, or pushed to it: at or below {@code lastPushed}, but for
     * a write the hub refused for want of a column, which it never had) that the snapshot did not carry, in {@code tables} (null: every table), except rows that rows staying
     * here still refer to: rows this device's own unpushed rows refer to, and so on up (a row referring to
     * itself, or rows referring to each other, all going, do not keep each other). Returns the tables where
     * such rows were kept: they are to be swept again once those rows have gone. After a whole snapshot
     * ({@code tables} null), the rows kept are sent back to the hub ({@link ResentCopies}).
     */
    static Set<String> sweep(Connection c, Dialect dialect, SyncSchema schema, Set<String> tables, long lastPushed)
            throws SQLException {
        return sweep(c, dialect, schema, tables, lastPushed, null);
    }

    /**
     * {@link #sweep(Connection, Dialect, SyncSchema, Set, long)} after a snapshot of the hub {@code hubNode}
     * (null: rows received from it are not sent back, only those pushed to it).
     */
    static Set<String> sweep(
            Connection c, Dialect dialect, SyncSchema schema, Set<String> tables, long lastPushed, String hubNode)
            throws SQLException {
        String unseen = "NOT EXISTS (SELECT 1 FROM _shuttle_resync r WHERE r.tbl = f.tbl AND r.pk = f.pk)";
        boolean refusals = RejectedWrites.recorded(c, dialect);
        Set<String> kept = remove(c, dialect, schema, tables, lastPushed, unseen);
        if (tables == null && !kept.isEmpty()) {
            // the whole snapshot lacks rows kept here: the hub lost them (a restore), and this device holds the
            // last copy; it goes back to the hub as the write it was (ResentCopies), so the rows referring to it
            // stand on the hub too, rather than waiting there for ever for a parent
            // (what a tier hub's own devices sent and it has not relayed up yet is not the hub's: it goes up as usual)
            List<String> each = new ArrayList<>();
            for (SyncedTable t : schema.tables()) {
                each.add("(" + gone(t, lastPushed, unseen, refusals) + " AND " + present(dialect, t) + ")");
            }
            String fromHub =
                    "(f.seq <= " + lastPushed + " OR f.via = (SELECT n.id FROM _shuttle_nodes n WHERE n.uuid = ?))";
            ResentCopies.resend(c, dialect, schema, "(" + String.join(" OR ", each) + ") AND " + fromHub, hubNode);
        }
        Jdbc.execute(c, "DELETE FROM _shuttle_resync");
        return kept;
    }

    /**
     * After the hub's whole snapshot, forgets the deletions this device received from the hub {@code hubNode}
     * that the snapshot did not carry: their feed entries go, with any column stamps of their rows. The
     * snapshot carries every tombstone the hub holds (that this device may read), so the hub holds no such
     * deletion any more: it lost it with a restore (a deletion it wrote itself for rows whose parent went,
     * say), or purged its tombstone. A device keeping it would refuse the row when it comes to the hub again
     * with an older stamp (its writer, restored, pushes it again), which the hub takes, having nothing of the
     * row: the device follows the hub's history instead. Call it before {@link #sweep}, which forgets what the
     * snapshot carried. Returns how many it forgot.
     */
    static int forgetDeletions(Connection c, SyncSchema schema, String hubNode) throws SQLException {
        String which = "f.op = 2 AND f.via = (SELECT n.id FROM _shuttle_nodes n WHERE n.uuid = ?)"
                + " AND NOT EXISTS (SELECT 1 FROM _shuttle_resync r WHERE r.tbl = f.tbl AND r.pk = f.pk)";
        int forgotten = 0;
        for (SyncedTable t : schema.tables()) {
            Jdbc.update(
                    c,
                    "DELETE FROM _shuttle_colclock WHERE tbl = ? AND pk IN (SELECT f.pk FROM _shuttle_feed f"
                            + " WHERE f.tbl = ? AND " + which + ")",
                    t.id(),
                    t.id(),
                    hubNode);
            forgotten += Jdbc.update(
                    c,
                    "DELETE FROM _shuttle_feed WHERE seq IN (SELECT f.seq FROM _shuttle_feed f WHERE f.tbl = ? AND "
                            + which + ")",
                    t.id(),
                    hubNode);
        }
        if (forgotten > 0) {
            log.info("resync: forgot {} deletions the hub no longer holds", forgotten);
        }
        return forgotten;
    }

    /**
     * Removes the rows of {@code gone} (per table, their keys as the feed stores them) that the hub had
     * (received from it, or pushed to it: at or below {@code lastPushed}), as {@link #sweep} removes the
     * rows a snapshot did not carry, and with the same exceptions. Returns the tables where rows were kept.
     */
    static Set<String> removeListed(
            Connection c, Dialect dialect, SyncSchema schema, Map<String, List<Object>> gone, long lastPushed)
            throws SQLException {
        Jdbc.execute(c, "CREATE TABLE IF NOT EXISTS _shuttle_gone AS SELECT tbl, pk FROM _shuttle_feed WHERE 1 = 0");
        Jdbc.execute(c, "CREATE INDEX IF NOT EXISTS _shuttle_gone_entry ON _shuttle_gone (tbl, pk)");
        Jdbc.execute(c, "DELETE FROM _shuttle_gone");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO _shuttle_gone (tbl, pk) VALUES (?, ?)")) {
            for (var e : gone.entrySet()) {
                int id = schema.require(e.getKey()).id();
                for (Object pk : e.getValue()) {
                    ps.setInt(1, id);
                    ps.setObject(2, pk);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        Set<String> kept = remove(
                c,
                dialect,
                schema,
                gone.keySet(),
                lastPushed,
                "EXISTS (SELECT 1 FROM _shuttle_gone g WHERE g.tbl = f.tbl AND g.pk = f.pk)");
        Jdbc.execute(c, "DELETE FROM _shuttle_gone");
        return kept;
    }

    /**
     * Removes the rows of {@code tables} (null: all) the hub had whose feed entry {@code f} satisfies {@code
     * which}, but those that rows staying here refer to (up the chain); returns the tables where rows were kept.
     */
    private static Set<String> remove(
            Connection c, Dialect dialect, SyncSchema schema, Set<String> tables, long lastPushed, String which)
            throws SQLException {
        List<SyncedTable> swept = schema.plan().deleteOrder().stream()
                .filter(name -> tables == null || tables.contains(name))
                .map(schema::require)
                .toList();
        boolean refusals = RejectedWrites.recorded(c, dialect);
        Jdbc.execute(c, "CREATE TABLE IF NOT EXISTS _shuttle_sweep AS SELECT tbl, pk FROM _shuttle_feed WHERE 1 = 0");
        Jdbc.execute(c, "DELETE FROM _shuttle_sweep");
        for (SyncedTable t : swept) {
            Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_sweep (tbl, pk) SELECT f.tbl, f.pk FROM _shuttle_feed f WHERE "
                            + gone(t, lastPushed, which, refusals) + " AND " + present(dialect, t));
        }
        // a row that a row staying here refers to stays: until nothing more changes
        boolean changed = true;
        while (changed) {
            changed = false;
            for (SyncedTable child : schema.tables()) {
                for (ForeignKey fk : child.table().foreignKeys()) {
                    SyncedTable parent = schema.require(fk.parentTable());
                    if (swept.contains(parent)) {
                        changed |= Jdbc.update(c, keptBy(dialect, child, fk, parent)) > 0;
                    }
                }
            }
        }
        int removed = 0;
        Set<String> kept = new java.util.LinkedHashSet<>();
        long token = dialect.capture().beginApply(c);
        for (SyncedTable t : swept) {
            String table = dialect.quote(t.name());
            removed += Jdbc.update(
                    c,
                    "DELETE FROM " + table + " WHERE " + dialect.capture().keyExpression(t, table)
                            + " IN (SELECT s.pk FROM _shuttle_sweep s WHERE s.tbl = " + t.id() + ")");
            if (Jdbc.queryLong(
                                    c,
                                    "SELECT count(*) FROM _shuttle_feed f WHERE " + gone(t, lastPushed, which, refusals)
                                            + " AND " + present(dialect, t))
                            .orElse(0L)
                    > 0) {
                kept.add(t.name());
            }
            Jdbc.update(
                    c,
                    "DELETE FROM _shuttle_feed WHERE seq IN (SELECT f.seq FROM _shuttle_feed f WHERE "
                            + gone(t, lastPushed, which, refusals) + " AND NOT " + present(dialect, t) + ")");
        }
        dialect.capture().endApply(c, token, List.of());
        Jdbc.execute(c, "DELETE FROM _shuttle_sweep");
        if (removed > 0) {
            log.info(
                    tables == null
                            ? "resync: removed {} rows the hub no longer holds (deleted while this device was away)"
                            : "removed {} rows this device may no longer read",
                    removed);
        }
        return kept;
    }

    /**
     * The feed entries {@code f} of {@code t}'s rows the hub had that satisfy {@code which}. A row whose entry
     * is this device's own write that the hub refused for want of a table or column ({@link
     * RejectedWrites#ownOpenSchemaMismatch}, when {@code refusals}: {@link RejectedWrites#recorded}) was pushed
     * but never held by the hub: it stays as the device wrote it, to be queued again once the hub's schema moves.
     */
    private static String gone(SyncedTable t, long lastPushed, String which, boolean refusals) {
        String out = "f.tbl = " + t.id() + " AND f.op = 1 AND (f.via IS NOT NULL OR f.seq <= " + lastPushed + ") AND "
                + which;
        if (refusals) {
            out += " AND NOT (" + RejectedWrites.ownOpenSchemaMismatch(t) + ")";
        }
        return out;
    }

    /** Whether the row of feed entry {@code f} of {@code t} is here. */
    private static String present(Dialect dialect, SyncedTable t) {
        return "EXISTS (SELECT 1 FROM " + dialect.quote(t.name()) + " x WHERE "
                + dialect.capture().keyExpression(t, "x") + " = f.pk)";
    }

    /**
     * Takes out of the sweep the rows of {@code parent} that a row of {@code child} staying here (not in the
     * sweep) refers to through {@code fk}.
     */
    private static String keptBy(Dialect dialect, SyncedTable child, ForeignKey fk, SyncedTable parent) {
        StringBuilder join = new StringBuilder();
        for (int i = 0; i < fk.childColumns().size(); i++) {
            join.append(i == 0 ? "" : " AND ")
                    .append("r.")
                    .append(dialect.quote(fk.childColumns().get(i)))
                    .append(" = p.")
                    .append(dialect.quote(fk.parentColumns().get(i)));
        }
        return "DELETE FROM _shuttle_sweep WHERE tbl = " + parent.id() + " AND pk IN (SELECT "
                + dialect.capture().keyExpression(parent, "p") + " FROM " + dialect.quote(parent.name()) + " p JOIN "
                + dialect.quote(child.name()) + " r ON " + join + " WHERE NOT EXISTS (SELECT 1 FROM _shuttle_sweep s"
                + " WHERE s.tbl = " + child.id() + " AND s.pk = "
                + dialect.capture().keyExpression(child, "r") + "))";
    }
}
