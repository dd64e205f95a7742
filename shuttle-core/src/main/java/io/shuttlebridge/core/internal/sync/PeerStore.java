package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.sync.PeerCursor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** PeerCursors per peer and direction, in {@code _shuttle_peers}. Internal. */
public final class PeerStore {
    private PeerStore() {}

    public static PeerCursor get(Connection c, String peer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT last_pulled, last_pushed, acked, last_sync_at, last_outcome FROM _shuttle_peers WHERE peer = ?")) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new PeerCursor(peer, 0, 0, 0, null, null);
                }
                return new PeerCursor(
                        peer, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5));
            }
        }
    }

    public static List<PeerCursor> all(Connection c) throws SQLException {
        List<PeerCursor> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT peer, last_pulled, last_pushed, acked, last_sync_at, last_outcome FROM _shuttle_peers ORDER BY peer");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new PeerCursor(
                        rs.getString(1),
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getString(6)));
            }
        }
        return out;
    }

    /**
     * Retires a peer: it no longer holds back the purge of tombstones, and it is remembered as retired
     * (in {@code _shuttle_meta}, which every database has) so that it is refused if it comes back; its
     * ticket record goes (one row left per retired device). Whether it was known.
     */
    public static boolean retire(Connection c, String peer, long atMillis) throws SQLException {
        boolean known = Jdbc.update(c, "DELETE FROM _shuttle_peers WHERE peer = ?", peer) > 0;
        Tickets.forget(c, peer); // refused from now on, whatever ticket it shows
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                RETIRED + peer,
                Long.toString(atMillis));
        return known;
    }

    /** When the peer was retired, if it was: one primary-key lookup. */
    public static Optional<Long> retiredAt(Connection c, String peer) throws SQLException {
        return MetaKeys.getLong(c, RETIRED + peer);
    }

    /** Those of {@code peers} that were retired, in one query. */
    public static Set<String> retiredAmong(Connection c, List<String> peers) throws SQLException {
        Set<String> out = new HashSet<>();
        for (int from = 0; from < peers.size(); from += 500) {
            List<String> some = peers.subList(from, Math.min(peers.size(), from + 500));
            String marks = String.join(", ", Collections.nCopies(some.size(), "?"));
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT key FROM _shuttle_meta WHERE key IN (" + marks + ")")) {
                for (int i = 0; i < some.size(); i++) {
                    ps.setString(i + 1, RETIRED + some.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1).substring(RETIRED.length()));
                    }
                }
            }
        }
        return out;
    }

    static final String RETIRED = "retired:";

    private static final String ENSURE = "INSERT INTO _shuttle_peers (peer) VALUES (?) ON CONFLICT DO NOTHING";

    /** A pull's acknowledgement: {@code acked} only moves forward, {@code last_sync_at} is the pull's time. */
    private static final String PULLED_BY =
            "UPDATE _shuttle_peers SET acked = CASE WHEN acked < ? THEN ? ELSE acked END, last_sync_at = ? WHERE peer = ?";

    private static void ensure(Connection c, String peer) throws SQLException {
        Jdbc.update(c, ENSURE, peer);
    }

    public static void setPulled(Connection c, String peer, long seq) throws SQLException {
        ensure(c, peer);
        Jdbc.update(c, "UPDATE _shuttle_peers SET last_pulled = ? WHERE peer = ?", seq, peer);
    }

    public static void setPushed(Connection c, String peer, long seq) throws SQLException {
        ensure(c, peer);
        Jdbc.update(c, "UPDATE _shuttle_peers SET last_pushed = ? WHERE peer = ? AND last_pushed < ?", seq, peer, seq);
    }

    /**
     * A device pulled from this hub from {@code seq}: it holds everything up to there (acknowledged), and was
     * seen at {@code at} (in the column a device keeps its own last sync in: on a hub's row for a device it
     * is when that device last pulled).
     */
    public static void pulledBy(Connection c, String peer, long seq, java.time.Instant at) throws SQLException {
        pulledBy(c, List.of(new Pulled(peer, seq, at)));
    }

    /** A device's pull: it pulled from {@code seq} at {@code at}. */
    public record Pulled(String peer, long seq, java.time.Instant at) {}

    /** {@link #pulledBy(Connection, String, long, java.time.Instant)} of several devices, in two batches. */
    public static void pulledBy(Connection c, List<Pulled> pulls) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(ENSURE);
                PreparedStatement update = c.prepareStatement(PULLED_BY)) {
            for (Pulled p : pulls) {
                insert.setString(1, p.peer());
                insert.addBatch();
                update.setLong(1, p.seq());
                update.setLong(2, p.seq());
                update.setString(3, p.at().toString());
                update.setString(4, p.peer());
                update.addBatch();
            }
            insert.executeBatch();
            update.executeBatch();
        }
    }

    /**
     * The devices of this hub not heard from since {@code cutoff} (their last pull; a row no pull has
     * dated yet is dated now, so that it is judged from here on). Rows of hubs this replica syncs with
     * itself (they record an outcome) are never among them.
     */
    public static List<String> silentSince(Connection c, java.time.Instant cutoff, java.time.Instant now)
            throws SQLException {
        Jdbc.update(
                c,
                "UPDATE _shuttle_peers SET last_sync_at = ? WHERE last_sync_at IS NULL AND last_outcome IS NULL",
                now.toString());
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT peer, last_sync_at FROM _shuttle_peers WHERE last_outcome IS NULL");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (java.time.Instant.parse(rs.getString(2)).isBefore(cutoff)) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    public static void acknowledge(Connection c, String peer, long seq) throws SQLException {
        ensure(c, peer);
        Jdbc.update(c, "UPDATE _shuttle_peers SET acked = ? WHERE peer = ? AND acked < ?", seq, peer, seq);
    }

    /** Records how the last sync with {@code peer} went, at the time {@code clock} gives. */
    public static void outcome(Connection c, String peer, String outcome, MillisClock clock) throws SQLException {
        ensure(c, peer);
        Jdbc.update(
                c,
                "UPDATE _shuttle_peers SET last_sync_at = ?, last_outcome = ? WHERE peer = ?",
                clock.instant().toString(),
                outcome,
                peer);
    }
}
