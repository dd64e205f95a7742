package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Format 6 on SQLite and PostgreSQL: an index of the column stamps that wait for their write's stamp
 * ({@code origin = -1}, keyed by the log seq of their write), so that a fold finds them without scanning every
 * row's column stamps (a FIELD_LWW table of a million rows of five columns has five million). A partial index:
 * it holds only the stamps waiting, a handful between two folds. Both products take the same SQL.
 */
public final class PendingColumnStampsIndex implements FormatStep {
    /** The index's name. */
    public static final String NAME = "_shuttle_colclock_pending";

    /** Its statement, in the metadata of a new database as in this step. */
    public static final String DDL = "CREATE INDEX IF NOT EXISTS " + NAME
            + " ON _shuttle_colclock (hlc) WHERE origin = " + FeedSql.PENDING_ORIGIN;

    @Override
    public int version() {
        return 6;
    }

    @Override
    public String description() {
        return "index the column stamps waiting for the fold";
    }

    @Override
    public boolean apply(Connection c, Dialect dialect) throws SQLException {
        boolean had = Jdbc.queryLong(
                        c,
                        dialect.name().equals("sqlite")
                                ? "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = '" + NAME + "'"
                                : "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = '"
                                        + NAME + "'")
                .isPresent();
        if (had) {
            return false;
        }
        Jdbc.execute(c, DDL);
        return true;
    }
}
