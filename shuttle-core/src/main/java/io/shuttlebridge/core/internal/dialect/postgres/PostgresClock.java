package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.CaptureClock;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.ClockPosition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The local clock on PostgreSQL: the one row of {@code _shuttle_clock}, moved by every fold and apply. */
final class PostgresClock implements CaptureClock {
    /** A hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0), in plain SQL. */
    static final String WALL_STAMP = "(floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint << 16";

    private static final String NEXT =
            "SELECT seq + 1, greatest(hlc + 1, " + WALL_STAMP + ") FROM _shuttle_clock WHERE id = 1";
    private static final String LAST = "SELECT hlc FROM _shuttle_clock WHERE id = 1";
    private static final String ADVANCE =
            "UPDATE _shuttle_clock SET seq = greatest(seq, ?), hlc = greatest(hlc, ?) WHERE id = 1";

    private final CaptureLog log;

    PostgresClock(CaptureLog log) {
        this.log = log;
    }

    @Override
    public ClockPosition nextSeqAndHlc(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NEXT);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new ClockPosition(rs.getLong(1), rs.getLong(2));
        }
    }

    @Override
    public long lastHlc(Connection c) throws SQLException {
        return Jdbc.queryLong(c, LAST).orElse(0L);
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        log.fold(c);
        Jdbc.update(c, ADVANCE, seq, hlc);
    }
}
