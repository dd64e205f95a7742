package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.QueriedClock;
import java.sql.Connection;
import java.sql.SQLException;

/** The local clock on MariaDB: the one row of {@code _shuttle_clock}, moved by every fold and apply. */
final class MariaDbClock extends QueriedClock {
    /**
     * A hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0), in plain SQL:
     * {@code sysdate(3)}, the time the expression runs (not the statement's start), read back as seconds
     * since the epoch, so whatever the session's time zone.
     */
    static final String WALL_STAMP = "(cast(floor(unix_timestamp(sysdate(3)) * 1000) AS SIGNED) << 16)";

    private static final String NEXT =
            "SELECT seq + 1, greatest(hlc + 1, " + WALL_STAMP + ") FROM _shuttle_clock WHERE id = 1";
    private static final String LAST = "SELECT hlc FROM _shuttle_clock WHERE id = 1";
    private static final String ADVANCE =
            "UPDATE _shuttle_clock SET seq = greatest(seq, ?), hlc = greatest(hlc, ?) WHERE id = 1";

    private final CaptureLog log;

    MariaDbClock(CaptureLog log) {
        super(NEXT, LAST);
        this.log = log;
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        log.fold(c);
        Jdbc.update(c, ADVANCE, seq, hlc);
    }
}
