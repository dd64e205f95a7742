package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A local clock kept in the one row of {@code _shuttle_clock}, moved by every fold and apply (the
 * PostgreSQL and MariaDB hubs). The dialects give the SQL of a stamp of the wall-clock time now.
 */
public abstract class ClockRow extends QueriedClock {
    private static final String LAST = "SELECT hlc FROM _shuttle_clock WHERE id = 1";
    private static final String ADVANCE =
            "UPDATE _shuttle_clock SET seq = greatest(seq, ?), hlc = greatest(hlc, ?) WHERE id = 1";

    private final CaptureLog log;

    /**
     * @param wallStamp SQL of a hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0)
     * @param log the capture log, folded before the clock is advanced
     */
    protected ClockRow(String wallStamp, CaptureLog log) {
        super("SELECT seq + 1, greatest(hlc + 1, " + wallStamp + ") FROM _shuttle_clock WHERE id = 1", LAST);
        this.log = log;
    }

    @Override
    public final void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        log.fold(c);
        Jdbc.update(c, ADVANCE, seq, hlc);
    }
}
