package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.Feed;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Moves a device's push cursor over the feed entries a pulled page wrote when nothing of the device's own
 * waited to be pushed: those entries are the hub's, never pushed back to it, and the next push would
 * otherwise read them all to find nothing (after a clone, every row's entry: 0.4 s per million rows).
 * Internal.
 */
final class PushCursorSkip {
    private PushCursorSkip() {}

    /**
     * Before a page is applied in {@code c}: the feed's top when every entry up to it is pushed to {@code
     * hubNode} (this device's captured writes folded first), else -1.
     */
    static long before(Connection c, Dialect dialect, String hubNode) throws SQLException {
        dialect.capture().fold(c);
        long top = Feed.top(c);
        return PeerStore.get(c, hubNode).lastPushed() >= top ? top : -1;
    }

    /**
     * After the page was applied: when {@link #before} found nothing waiting and the apply wrote no entry of
     * this device's own (a conflict settled here that its hub must hear of), the push cursor moves to the top.
     */
    static void after(Connection c, String hubNode, long before) throws SQLException {
        if (before < 0) {
            return;
        }
        boolean own = Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_feed WHERE seq > ? AND via IS NULL", before)
                        .orElse(0L)
                > 0;
        if (!own) {
            PeerStore.setPushed(c, hubNode, Feed.top(c));
        }
    }
}
