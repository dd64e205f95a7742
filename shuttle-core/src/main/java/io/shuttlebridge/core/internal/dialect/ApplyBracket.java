package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The bracket around applying remote changes: capture off (no echo), then the applied entries written to the feed. */
public interface ApplyBracket {

    /**
     * Starts applying remote changes in the current transaction. Returns a token for
     * {@link #endApply}, which must follow before commit.
     */
    long beginApply(Connection c) throws SQLException;

    /**
     * Ends an apply: whatever capture recorded for the applied writes is discarded (no echo) and
     * the feed gets the given entries instead, with their own origin, hlc and version; when there
     * are entries, the local clock moves to the highest stamp applied or {@code clockFloor}, whichever
     * is higher, in the statement that writes them: local writes logged afterwards are stamped after
     * both, while writes logged before keep their stamps.
     *
     * @param clockFloor a stamp of the applying engine's clock, taken when the apply ends (0: none)
     */
    void endApply(Connection c, long token, List<AppliedEntry> entries, long clockFloor) throws SQLException;

    /** {@link #endApply(Connection, long, List, long)} without a clock floor. */
    default void endApply(Connection c, long token, List<AppliedEntry> entries) throws SQLException {
        endApply(c, token, entries, 0);
    }

    /**
     * A feed entry written by the apply path; {@code via} is the node id of the peer it came from
     * (so it is not sent back there), null for an entry made here. {@code expectedNew}: the feed had
     * no entry for the row when the apply began and this is the apply's first write to it, so the
     * dialect may insert it without looking for one (when the guess is wrong, as it can be after a
     * concurrent write, the entry replaces the existing one all the same).
     */
    record AppliedEntry(
            SyncedTable table,
            List<Object> key,
            int op,
            long hlc,
            int origin,
            long version,
            long base,
            Object scope,
            Integer via,
            boolean expectedNew) {}
}
