package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/** The local clock: the last feed seq handed out and the last stamp written or received. */
public interface CaptureClock {

    /** The next local seq and a fresh local hlc stamp, without reserving them. Fold first. */
    ClockPosition nextSeqAndHlc(Connection c) throws SQLException;

    /** Records that seqs up to {@code seq} and stamps up to {@code hlc} are used (after a backfill). */
    void advanceClock(Connection c, long seq, long hlc) throws SQLException;
}
