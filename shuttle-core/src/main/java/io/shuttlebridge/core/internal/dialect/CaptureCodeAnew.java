package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;

/**
 * Format 6 on MariaDB: no table changes (its fold looks the pending column stamps up by row without an index;
 * SQLite and PostgreSQL index them, {@link PendingColumnStampsIndex}); the capture code is this build's, as
 * every upgrade installs it anew once its steps ran: its triggers refuse a write to a table that lost its key
 * column with a message naming the column and what to do, and name a lost column. Triggers an earlier release
 * installed keep working, but without these.
 */
public final class CaptureCodeAnew implements FormatStep {
    @Override
    public int version() {
        return 6;
    }

    @Override
    public String description() {
        return "the capture triggers and fold as this build writes them";
    }

    /** Nothing of the tables: the upgrade installs the capture code after its steps. */
    @Override
    public boolean apply(Connection c, Dialect dialect) {
        return false;
    }
}
