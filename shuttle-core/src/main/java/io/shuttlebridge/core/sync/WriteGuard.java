package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Change;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Decides, on a hub, which pushed changes a caller may write (DESIGN §9): asked before a batch is
 * applied, about the rows as stored, and after, in the same transaction, about the rows as the batch
 * left them. A change refused either way is not stored (the batch is applied again without it) and
 * comes back to its device as a rejected write; the rest of the batch goes on.
 */
public interface WriteGuard {
    /** Every change allowed. */
    WriteGuard NONE = new WriteGuard() {
        @Override
        public Map<Integer, String> before(Connection c, List<Change> changes) {
            return Map.of();
        }

        @Override
        public Map<Integer, String> after(Connection c, List<Change> changes) {
            return Map.of();
        }
    };

    /** Changes refused on the rows as stored before the batch: position in {@code changes} to reason. */
    Map<Integer, String> before(Connection c, List<Change> changes) throws SQLException;

    /** Changes refused on the rows as written by the batch, not yet committed: position to reason. */
    Map<Integer, String> after(Connection c, List<Change> changes) throws SQLException;
}
