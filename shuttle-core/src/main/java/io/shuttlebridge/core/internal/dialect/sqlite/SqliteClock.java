package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.QueriedClock;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The local clock on SQLite: the newest row of the capture log, which the log always keeps (a
 * marker once folded), so seqs never go back and stamps never fall behind anything written or
 * received.
 */
final class SqliteClock extends QueriedClock {
    /**
     * Milliseconds since the Unix epoch from SQLite's clock, in plain SQL. SQLite keeps 'now' in whole
     * milliseconds but answers it as a Julian day, a double: rounded, not truncated, it gives that
     * millisecond back rather than the one before.
     */
    private static final String NOW_MS = "CAST(round((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)";

    /** A hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0), in plain SQL. */
    static final String WALL_STAMP = NOW_MS + " << 16";

    private static final String NEXT =
            "SELECT seq + 1, max(hlc + 1, " + WALL_STAMP + ") FROM _shuttle_log ORDER BY seq DESC LIMIT 1";

    private static final String LAST = "SELECT hlc FROM _shuttle_log ORDER BY seq DESC LIMIT 1";

    /** A new marker at {@code seq} with at least stamp {@code hlc}, when the log is not past it yet. */
    private static final String ADVANCE = """
            INSERT INTO _shuttle_log (seq, tbl, op, hlc)
              SELECT ?, 0, 0, max(?, (SELECT hlc FROM _shuttle_log ORDER BY seq DESC LIMIT 1))
              WHERE ? > (SELECT max(seq) FROM _shuttle_log)""";

    private final CaptureLog log;

    SqliteClock(CaptureLog log) {
        super(NEXT, LAST);
        this.log = log;
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        log.fold(c);
        Jdbc.update(c, ADVANCE, seq, hlc, seq);
        Jdbc.update(c, SqliteFold.KEEP_NEWEST);
    }
}
