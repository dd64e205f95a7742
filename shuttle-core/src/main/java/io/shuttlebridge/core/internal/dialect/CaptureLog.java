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
}
