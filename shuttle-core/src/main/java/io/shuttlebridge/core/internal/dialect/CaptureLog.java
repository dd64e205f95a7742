package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** The capture log: local writes as the triggers record them, and the fold that moves them into the feed. */
public interface CaptureLog {

    /** Logs a local upsert of the row now, even when no column changed (a deliberate rewrite). Fold afterwards. */
    void logLocalWrite(Connection c, SyncedTable table, List<Object> key) throws SQLException;

    /**
     * Moves captured writes into the feed (one entry per row, the latest), so that readers and
     * the apply path see every local write. Cheap when there is nothing to fold.
     */
    void fold(Connection c) throws SQLException;

    /**
     * {@link #fold} for work that only reads the feed. Where a fold orders the feed under a lock held to
     * the end of its transaction (PostgreSQL's advisory lock), the lock is taken only when there is
     * something to fold: a reader of a hub whose writes all arrive in pushes neither waits for the writers
     * nor makes them wait for its reading. Writers still take the lock, and release it only once their
     * commit is visible, so a reader's snapshot holds a prefix of the feed's seqs either way.
     */
    default void foldForReading(Connection c) throws SQLException {
        fold(c);
    }
}
