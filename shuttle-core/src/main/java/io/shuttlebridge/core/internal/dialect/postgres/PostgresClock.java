package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.ClockRow;

/** The local clock on PostgreSQL: the one row of {@code _shuttle_clock}, moved by every fold and apply. */
final class PostgresClock extends ClockRow {
    /** A hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0), in plain SQL. */
    static final String WALL_STAMP = "(floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint << 16";

    PostgresClock(CaptureLog log) {
        super(WALL_STAMP, log);
    }
}
