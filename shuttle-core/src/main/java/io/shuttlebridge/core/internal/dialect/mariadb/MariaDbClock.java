package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.dialect.CaptureLog;
import io.shuttlebridge.core.internal.dialect.ClockRow;

/** The local clock on MariaDB: the one row of {@code _shuttle_clock}, moved by every fold and apply. */
final class MariaDbClock extends ClockRow {
    /**
     * A hybrid logical clock stamp of the wall-clock time now (milliseconds, counter 0), in plain SQL:
     * {@code sysdate(3)}, the time the expression runs (not the statement's start), read back as seconds
     * since the epoch, so whatever the session's time zone.
     */
    static final String WALL_STAMP = "(cast(floor(unix_timestamp(sysdate(3)) * 1000) AS SIGNED) << 16)";

    MariaDbClock(CaptureLog log) {
        super(WALL_STAMP, log);
    }
}
