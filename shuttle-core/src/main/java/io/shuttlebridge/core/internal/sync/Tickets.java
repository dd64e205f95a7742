package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.sync.Standing;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A hub's record of the tickets it handed out to each node ({@link Standing}), one row of {@code
 * _shuttle_meta} per node: checked and advanced by every pull and push that shows one. Internal.
 *
 * <p>A node may show the ticket it showed last ({@code floor}, with the same nonce: it did not keep the
 * answer to that request) or one handed out since ({@code from} through {@code issued}). A device shows
 * only what it was given, keeps what it is given durably, and never shows a ticket older than one it
 * showed before. So a pull, whose answers the device keeps before it asks again, leaves valid only its
 * own ticket and the one it hands out; a push leaves valid what was handed out after its ticket (pushes
 * go out while the answers to earlier ones are being kept). A ticket that is no longer valid was shown
 * by another copy of the node's database, and so was the same ticket with another nonce; one higher
 * than any handed out means this hub lost what it had acknowledged.
 */
public final class Tickets {
    private static final String KEY = "ticket:";

    private Tickets() {}

    /**
     * What a request may do once its standing is checked.
     *
     * @param ticket the ticket to answer with
     * @param resync the pull takes the snapshot in place of its page: the node is a restored backup, or it
     *     shows a ticket of a history of this hub that a restore of it lost (a backup, or a copy, of its
     *     database made before it heard of the restore). A backup's cursors may belong to such a history even
     *     when its ticket looks valid: a hub restored to an older backup hands out the same numbers again, to
     *     the node's other databases too (an older backup of it restored first). The snapshot brings back what
     *     the node pushed after the backup was taken, whatever history the backup's cursors come from
     */
    public record Admission(long ticket, boolean resync) {}

    /**
     * What the hub holds for one node: the node may show {@code floor} (with its nonce) and {@code
     * from..issued}; {@code lostFrom..lostTo} (0..0: none) are the tickets a history of this hub handed out
     * that a restore of it lost, as the node's record told when it stood for the lost one.
     */
    private record Held(long floor, String nonce, long from, long issued, String backup, long lostFrom, long lostTo) {
        static final Held NONE = new Held(0, null, 1, 0, null, 0, 0);

        Held(long floor, String nonce, long from, long issued, String backup) {
            this(floor, nonce, from, issued, backup, 0, 0);
        }

        boolean lost(long t) {
            return lostTo > 0 && t >= lostFrom && t <= lostTo;
        }

        Held with(long floor, String nonce, long from, long issued, String backup) {
            return new Held(floor, nonce, from, issued, backup, lostFrom, lostTo);
        }

        boolean valid(long t, String n) {
            boolean sameShowing = nonce == null || n == null || nonce.equals(n);
            return (t == floor && sameShowing) || (t >= from && t <= issued);
        }

        String encode() {
            return floor + "," + from + "," + issued + "," + orDash(nonce) + "," + orDash(backup)
                    + (lostTo > 0 ? "," + lostFrom + "," + lostTo : "");
        }

        static Held decode(String v) {
            String[] p = v.split(",", 7);
            return new Held(
                    Long.parseLong(p[0]),
                    p.length > 3 ? orNull(p[3]) : null,
                    Long.parseLong(p[1]),
                    Long.parseLong(p[2]),
                    p.length > 4 ? orNull(p[4]) : null,
                    p.length > 6 ? Long.parseLong(p[5]) : 0,
                    p.length > 6 ? Long.parseLong(p[6]) : 0);
        }

        private static String orDash(String s) {
            return s == null ? "-" : s;
        }

        private static String orNull(String s) {
            return "-".equals(s) ? null : s;
        }
    }

    /** Checks a pull's standing and hands out its ticket (in the pull's transaction). */
    public static Admission pull(Connection c, String node, Standing s) throws SQLException {
        return admit(c, node, s, true);
    }

    /** Checks a push's standing and hands out its ticket. */
    public static Admission push(Connection c, String node, Standing s) throws SQLException {
        return admit(c, node, s, false);
    }

    private static Admission admit(Connection c, String node, Standing s, boolean pull) throws SQLException {
        Held held = lock(c, node);
        long t = s.ticket();
        if (t > held.issued()) {
            if (!s.hubRestoreSeen()) {
                throw new ShuttleException(
                        ErrorCode.HUB_RESTORED,
                        "node " + node + " showed ticket " + t + ", which this hub never handed out (the latest it"
                                + " has for that node is " + held.issued() + "): the hub's database was restored from"
                                + " a backup older than the device's last sync; the device pushes its writes again"
                                + " and takes the hub's snapshot");
            }
            // the device's record stands for the lost one, whose tickets after ours were that history's
            held = new Held(
                    t,
                    s.nonce(),
                    t + 1,
                    t,
                    held.backup(),
                    held.lostTo() > 0 ? Math.min(held.lostFrom(), held.issued() + 1) : held.issued() + 1,
                    Math.max(held.lostTo(), t));
        }
        boolean restored = s.restoredBackup() != null;
        boolean fence = pull;
        if (!held.valid(t, s.nonce())) {
            if (!restored || s.restoredBackup().equals(held.backup())) {
                throw new ShuttleException(
                        ErrorCode.NODE_COPIED,
                        "node " + node + " showed ticket " + t
                                + (t == held.floor()
                                        ? ", which another database showed first"
                                        : ", which this hub has moved past (it has handed out tickets up to "
                                                + held.issued() + " to that node since)")
                                + ": another database syncs as the same node (a copy of its file"
                                + (restored
                                        ? ", or this same backup restored a second time"
                                        : ", or a backup restored while the original kept syncing")
                                + "); the copy must take a new identity with 'shuttle node reset', which keeps its"
                                + " unpushed writes");
            }
            fence = true; // a restored backup takes over: every ticket handed out so far is superseded
        }
        long next = held.issued() + 1;
        long from = fence ? next : Math.max(held.from(), t + 1);
        store(c, node, held.with(t, s.nonce(), from, next, restored ? s.restoredBackup() : held.backup()));
        // a restored backup, or a ticket of a history of this hub that a restore of it lost (a backup, or a copy,
        // of a database made before it heard of the restore): its cursors may point into that history
        return new Admission(next, pull && (restored || held.lost(t)));
    }

    /** Forgets the node's record (a retired node: it is refused whatever it shows). */
    public static void forget(Connection c, String node) throws SQLException {
        MetaKeys.remove(c, KEY + node);
    }

    /** The node's record, its row locked for this transaction (several hub processes may serve one database). */
    private static Held lock(Connection c, String node) throws SQLException {
        String key = KEY + node;
        if (Jdbc.update(c, "UPDATE _shuttle_meta SET value = value WHERE key = ?", key) == 0) {
            return Held.NONE;
        }
        return MetaKeys.get(c, key).map(Held::decode).orElse(Held.NONE);
    }

    private static void store(Connection c, String node, Held h) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                KEY + node,
                h.encode());
    }
}
