package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FIELD_LWW: when capture takes a column new to a table, the rows already written hold no write of it, so
 * each live row with column stamps gets one for the new column at the hlc of no write ({@value #UNWRITTEN},
 * under the row's origin), as a row received without a column gets (DESIGN §10). Without it the column
 * would carry the row's stamp, that of a write made before the column existed: a device pushing such a
 * row after its hub's values of the column were taken (or found to be none) would overwrite, with NULL,
 * a value another device wrote into the column before that row's write, and a hub serving such a row
 * would do the same on a device that had the column first. A row without any column stamp (backfilled)
 * keeps carrying its row's stamp. Runs in the transaction that takes the new shape. Internal.
 */
public final class UnwrittenColumns {
    /** The hlc of a column a row was made without: older than any write of it. */
    public static final long UNWRITTEN = 0;

    private UnwrittenColumns() {}

    /**
     * Stamps the columns of {@code schema}'s FIELD_LWW tables that {@code captured} (the shape capture took
     * before) lacks as unwritten in every live row that has column stamps. Folds the capture log first, so
     * that every row written before is in the feed with its column stamps.
     */
    static void stamp(Connection c, Dialect dialect, SyncSchema schema, Map<String, Table> captured)
            throws SQLException {
        boolean folded = false;
        for (SyncedTable t : schema.tables()) {
            Table before = captured.get(t.name());
            if (t.policy() != ConflictPolicy.FIELD_LWW || before == null) {
                continue;
            }
            Set<String> had = new HashSet<>();
            for (Column col : before.columns()) {
                had.add(col.name());
            }
            List<String> added =
                    t.valueColumns().stream().filter(col -> !had.contains(col)).toList();
            if (added.isEmpty()) {
                continue;
            }
            if (!folded) {
                dialect.capture().fold(c);
                folded = true;
            }
            for (String col : added) {
                // a stamp left by a column of that name before is of no write of this one
                Jdbc.update(c, "DELETE FROM _shuttle_colclock WHERE tbl = ? AND col = ?", t.id(), col);
                Jdbc.update(
                        c,
                        "INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin) SELECT f.tbl, f.pk, ?, " + UNWRITTEN
                                + ", f.origin"
                                + " FROM _shuttle_feed f WHERE f.tbl = ? AND f.op = ? AND EXISTS (SELECT 1 FROM"
                                + " _shuttle_colclock s WHERE s.tbl = f.tbl AND s.pk = f.pk)",
                        col,
                        t.id(),
                        Op.UPSERT.code());
            }
        }
    }
}
