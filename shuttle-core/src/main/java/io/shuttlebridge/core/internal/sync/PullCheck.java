package io.shuttlebridge.core.internal.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a pooled hub checks before it reads a pull's page, in one statement of the pull's snapshot: whether
 * the device was retired (when), how far tombstones were purged, and whether local writes wait in the
 * capture log to be folded into the feed. Internal.
 *
 * @param retiredAt when the device was retired, or null
 * @param purgedThrough the purge horizon: a cursor before it must resync
 * @param logPending whether the capture log holds writes committed before the snapshot
 */
record PullCheck(Long retiredAt, long purgedThrough, boolean logPending) {
    private static final String SQL = "SELECT (SELECT value FROM _shuttle_meta WHERE key = ?),"
            + " (SELECT value FROM _shuttle_meta WHERE key = 'purged_through'),"
            + " (SELECT 1 FROM _shuttle_log LIMIT 1)";

    static PullCheck read(Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setString(1, PeerStore.RETIRED + node);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String retired = rs.getString(1);
                String purged = rs.getString(2);
                return new PullCheck(
                        retired == null ? null : Long.parseLong(retired),
                        purged == null ? 0 : Long.parseLong(purged),
                        rs.getObject(3) != null);
            }
        }
    }
}
