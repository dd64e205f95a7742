package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
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

    /**
     * {@code AND NOT EXISTS ...} for every foreign key of the schema that refers to {@code t}: rows that rows
     * this device keeps still refer to are kept. A referring row that is itself on its way out (the hub no
     * longer holds it either: the row itself, when it refers to itself, or another row of a cycle) does not
     * keep it.
     */
    private static String unreferenced(
            Dialect dialect, SyncSchema schema, SyncedTable t, String table, long lastPushed) {
        StringBuilder out = new StringBuilder();
        for (SyncedTable child : schema.tables()) {
            for (io.shuttlebridge.core.internal.schema.ForeignKey fk :
                    child.table().foreignKeys()) {
                if (!fk.parentTable().equals(t.name())) {
                    continue;
                }
                out.append(" AND NOT EXISTS (SELECT 1 FROM ")
                        .append(dialect.quote(child.name()))
                        .append(" r WHERE ");
                for (int i = 0; i < fk.childColumns().size(); i++) {
                    out.append(i == 0 ? "" : " AND ")
                            .append("r.")
                            .append(dialect.quote(fk.childColumns().get(i)))
                            .append(" = ")
                            .append(table)
                            .append('.')
                            .append(dialect.quote(fk.parentColumns().get(i)));
                }
                out.append(" AND NOT EXISTS (SELECT 1 FROM _shuttle_feed g WHERE g.tbl = ")
                        .append(child.id())
                        .append(" AND g.pk = ")
                        .append(dialect.capture().keyExpression(child, "r"))
                        .append(" AND g.op = 1 AND (g.via IS NOT NULL OR g.seq <= ")
                        .append(lastPushed)
                        .append(
                                ") AND NOT EXISTS (SELECT 1 FROM _shuttle_resync s WHERE s.tbl = g.tbl AND s.pk = g.pk)))");
            }
        }
        return out.toString();
    }

    private ResyncSweep() {}

    /** A resync starts: nothing seen yet. */
    static void begin(Connection c) throws SQLException {
        Jdbc.execute(c, "CREATE TABLE IF NOT EXISTS _shuttle_resync AS SELECT tbl, pk FROM _shuttle_feed WHERE 1 = 0");
        Jdbc.execute(c, "DELETE FROM _shuttle_resync");
    }

    /** Notes the rows of an applied snapshot page. */
    static void seen(Connection c, Dialect dialect, SyncSchema schema, List<Change> page) throws SQLException {
        for (Change ch : page) {
            SyncedTable t = schema.table(ch.table()).orElse(null);
            if (t == null) {
                continue;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO _shuttle_resync (tbl, pk) SELECT tbl, pk"
                    + " FROM _shuttle_feed WHERE tbl = ? AND pk = "
                    + dialect.capture().keyParameterExpression(t))) {
                ps.setInt(1, t.id());
                for (int i = 0; i < ch.key().size(); i++) {
                    ps.setObject(i + 2, ch.key().get(i));
                }
                ps.executeUpdate();
            }
        }
    }

    /**
     * Removes the rows the hub had (received from it, or pushed to it: at or below {@code lastPushed})
     * that the snapshot did not carry, in {@code tables} (null: every table), except rows this device's
     * own unpushed rows still refer to. Returns the tables where such rows were kept: they are to be
     * swept again once those rows have gone.
     */
    static Set<String> sweep(Connection c, Dialect dialect, SyncSchema schema, Set<String> tables, long lastPushed)
            throws SQLException {
        String gone = "f.tbl = ? AND f.op = 1 AND (f.via IS NOT NULL OR f.seq <= ?)"
                + " AND NOT EXISTS (SELECT 1 FROM _shuttle_resync r WHERE r.tbl = f.tbl AND r.pk = f.pk)";
        int removed = 0;
        Set<String> kept = new java.util.LinkedHashSet<>();
        long token = dialect.capture().beginApply(c);
        for (String name : schema.plan().deleteOrder()) {
            if (tables != null && !tables.contains(name)) {
                continue;
            }
            SyncedTable t = schema.require(name);
            String table = dialect.quote(t.name());
            // a row that rows this device keeps (written here, not pushed yet) still refer to stays until they go
            String unreferenced = unreferenced(dialect, schema, t, table, lastPushed);
            int n = Jdbc.update(
                    c,
                    "DELETE FROM " + table + " WHERE " + dialect.capture().keyExpression(t, table)
                            + " IN (SELECT f.pk FROM _shuttle_feed f WHERE " + gone + ")" + unreferenced,
                    t.id(),
                    lastPushed);
            removed += n;
            if (!unreferenced.isEmpty()
                    && Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_feed f WHERE " + gone, t.id(), lastPushed)
                                    .orElse(0L)
                            > n) {
                kept.add(t.name());
            }
            Jdbc.update(
                    c,
                    "DELETE FROM _shuttle_feed WHERE seq IN (SELECT f.seq FROM _shuttle_feed f WHERE " + gone
                            + " AND NOT EXISTS (SELECT 1 FROM " + table + " WHERE "
                            + dialect.capture().keyExpression(t, table) + " = f.pk))",
                    t.id(),
                    lastPushed);
        }
        dialect.capture().endApply(c, token, List.of());
        Jdbc.execute(c, "DELETE FROM _shuttle_resync");
        if (removed > 0) {
            log.info(
                    tables == null
                            ? "resync: removed {} rows the hub no longer holds (deleted while this device was away)"
                            : "removed {} rows this device may no longer read",
                    removed);
        }
        return kept;
    }
}
