package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Format 5: a hub remembers the devices it retired in {@code _shuttle_meta} (key {@code retired:}
 * and the node's uuid, the time in epoch milliseconds as its value) instead of a table of their own,
 * {@code _shuttle_retired (peer, retired_at)}, which this step empties into it and drops. Both
 * dialects take the same SQL.
 */
public final class RetiredPeersInMeta implements FormatStep {
    private static final String TABLE = "_shuttle_retired";

    @Override
    public int version() {
        return 5;
    }

    @Override
    public String description() {
        return "retired devices move from " + TABLE + " to _shuttle_meta";
    }

    @Override
    public boolean apply(Connection c, Dialect dialect) throws SQLException {
        if (!dialect.hasTable(c, TABLE)) {
            return false;
        }
        // WHERE true: SQLite reads ON CONFLICT after a bare FROM as a join constraint
        Jdbc.update(c, """
                INSERT INTO _shuttle_meta (key, value) SELECT 'retired:' || peer, CAST(retired_at AS TEXT)
                  FROM _shuttle_retired WHERE true ON CONFLICT (key) DO NOTHING""");
        Jdbc.execute(c, "DROP TABLE " + TABLE);
        return true;
    }
}
