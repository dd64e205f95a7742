package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The code capture keeps in a database (PostgreSQL's fold function, the triggers of every synced
 * table), installed again as this build writes it at the end of every upgrade: what an earlier
 * release installed was written for its own tables and its own engine. Writes already captured stay
 * in the log, whose rows every format reads alike.
 */
final class CaptureCode {
    private CaptureCode() {}

    /** Installs the capture code anew; returns the number of tables whose triggers it installed. */
    static int install(Connection c, Dialect dialect) throws SQLException {
        for (String sql : dialect.capture().captureFunctions()) {
            Jdbc.execute(c, sql);
        }
        SyncSchema schema = SyncSchema.load(c, dialect);
        for (SyncedTable t : schema.tables()) {
            for (String sql : dialect.capture().installTriggers(t)) {
                Jdbc.execute(c, sql);
            }
        }
        return schema.tables().size();
    }
}
