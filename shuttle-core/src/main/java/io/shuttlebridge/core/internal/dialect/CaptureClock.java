package io.shuttlebridge.core.internal.dialect;

import java.sql.Connection;
import java.sql.SQLException;

/** The local clock: the last feed seq handed out and the last stamp written or received. */
public interface CaptureClock {

    /**
     * The next local seq and a fresh local hlc stamp from the database's own clock, without
     * reserving them (for stamps the database makes, as capture does). Fold first.
     */
    ClockPosition nextSeqAndHlc(Connection c) throws SQLException;

    /**
     * The last stamp written or received (the clock's position), without the database's wall clock:
     * what an engine's own clock observes before it stamps writes. Fold first.
     */
    long lastHlc(Connection c) throws SQLException;

    /** Records that seqs up to {@code seq} and stamps up to {@code hlc} are used (after a backfill). */
    void advanceClock(Connection c, long seq, long hlc) throws SQLException;
}
