package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What a pooled hub checks before it reads a pull's page, in one statement of the pull's snapshot: whether
 * the device was retired (when), how far tombstones were purged, and whether local writes wait in the
 * capture log to be folded into the feed, and the feed's top in the snapshot. Internal.
 *
 * @param retiredAt when the device was retired, or null
 * @param purgedThrough the purge horizon: a cursor before it must resync
 * @param logPending whether the capture log holds writes committed before the snapshot
 * @param feedTop the feed's highest seq in the snapshot (0: empty); seqs become visible in order, so the
 *     snapshot holds every entry up to it
 */
record PullCheck(Long retiredAt, long purgedThrough, boolean logPending, long feedTop) {
    private static final String SQL = "SELECT (SELECT value FROM _shuttle_meta WHERE key = ?),"
            + " (SELECT value FROM _shuttle_meta WHERE key = 'purged_through'),"
            + " (SELECT 1 FROM _shuttle_log LIMIT 1), (SELECT max(seq) FROM _shuttle_feed)";

    /**
     * The check, as the first statement of a transaction that reads {@link Dialect#oneSnapshot one snapshot}:
     * sent with the statement that makes it so in one round trip where the dialect can.
     */
    static PullCheck read(Connection c, Dialect dialect, String node) throws SQLException {
        String snapshot = dialect.oneSnapshotStatement();
        if (snapshot == null) {
            dialect.oneSnapshot(c);
        }
        try (PreparedStatement ps = c.prepareStatement(snapshot == null ? SQL : snapshot + "; " + SQL)) {
            ps.setString(1, PeerStore.RETIRED + node);
            for (boolean rows = ps.execute(); !rows; rows = ps.getMoreResults()) {
                if (ps.getUpdateCount() < 0) {
                    throw new SQLException("the pull's check answered no rows");
                }
            }
            try (ResultSet rs = ps.getResultSet()) {
                rs.next();
                String retired = rs.getString(1);
                String purged = rs.getString(2);
                return new PullCheck(
                        retired == null ? null : Long.parseLong(retired),
                        purged == null ? 0 : Long.parseLong(purged),
                        rs.getObject(3) != null,
                        rs.getLong(4)); // NULL, an empty feed, reads as 0
            }
        }
    }
}
