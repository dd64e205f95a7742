package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The base of a feed entry: the version of the row its write was made on. A local write keeps the
 * base it was made on until a peer takes it; from then on the row's next local write builds on it,
 * so its effective base is its own version. "Taken" is not written into every entry when a push is
 * acknowledged (that would rewrite every pushed entry): an entry is taken when its seq is at or
 * below the push cursor and the peer did not refuse it, and readers compute the base with
 * {@link #of}. Refused entries are listed in {@code _shuttle_refused} until they leave the feed.
 */
public final class EntryBase {
    private EntryBase() {}

    /** SQL for the effective base of the feed entry under {@code alias}. */
    public static String of(String alias) {
        String a = alias + ".";
        return "CASE WHEN " + a + "origin = 0 AND " + a
                + "seq <= (SELECT coalesce(max(last_pushed), 0) FROM _shuttle_peers)"
                + " AND NOT EXISTS (SELECT 1 FROM _shuttle_refused r WHERE r.seq = " + a + "seq) THEN " + a
                + "version ELSE "
                + a + "base END";
    }

    /** Records the entries a peer refused in a push (call with the push cursor's update). */
    public static void refused(Connection c, List<Long> seqs) throws SQLException {
        if (seqs.isEmpty()) {
            return;
        }
        // entries refused earlier that have left the feed (their rows were written again) are forgotten
        Jdbc.update(
                c,
                "DELETE FROM _shuttle_refused WHERE NOT EXISTS (SELECT 1 FROM _shuttle_feed f WHERE f.seq = _shuttle_refused.seq)");
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_refused (seq) SELECT f.seq FROM _shuttle_feed f WHERE f.seq IN ("
                        + seqs.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"
                        + " AND NOT EXISTS (SELECT 1 FROM _shuttle_refused r WHERE r.seq = f.seq)");
    }
}
