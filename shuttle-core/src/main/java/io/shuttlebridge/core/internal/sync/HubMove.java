package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.feed.Nodes;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A device moving to another hub keeps its unpushed writes: what it received from the old hub counts
 * as received from the new one (never pushed to it), its push cursor carries over (what the old hub
 * took is not pushed again), and its first pull takes the new hub's snapshot, removing what the new
 * hub does not hold except its own unpushed writes. Internal.
 */
public final class HubMove {
    private static final String RESYNC = "resync:";

    private HubMove() {}

    public static void adopt(Connection c, String oldHub, String newHub) throws SQLException {
        long pushed = PeerStore.get(c, oldHub).lastPushed();
        int from = Nodes.idOf(c, oldHub);
        int to = Nodes.idOf(c, newHub);
        Jdbc.update(c, "UPDATE _shuttle_feed SET via = ? WHERE via = ?", to, from);
        PeerStore.setPushed(c, newHub, pushed);
        PeerStore.setPulled(c, newHub, 0);
        resyncNext(c, newHub);
    }

    /** The next pull from {@code hub} takes its snapshot first (its seqs are not the ones this device pulled by). */
    public static void resyncNext(Connection c, String hub) throws SQLException {
        MetaKeys.put(c, RESYNC + hub, "1");
    }

    /** Whether the next pull from {@code hub} must take its snapshot first (it was just adopted). */
    static boolean resyncDue(Connection c, String hub) throws SQLException {
        return MetaKeys.get(c, RESYNC + hub).isPresent();
    }

    static void resynced(Connection c, String hub) throws SQLException {
        MetaKeys.remove(c, RESYNC + hub);
    }
}
