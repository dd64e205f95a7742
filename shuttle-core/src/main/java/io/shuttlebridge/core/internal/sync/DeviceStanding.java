package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.sync.Standing;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a device keeps, in {@code _shuttle_meta}, of where it stands with its hub ({@link Standing}): the
 * latest ticket the hub gave it, whether this database is a restored backup the hub has not heard of
 * yet, and whether it is re-pushing its writes to a hub that was restored. Internal.
 */
public final class DeviceStanding {
    /**
     * Written by {@code shuttle backup} into the copy it makes, never into the database itself: a database
     * holding it is a backup, restored when it syncs. Removed once its hub has heard of the restore.
     */
    public static final String BACKUP_ID = "backup_id";

    /** When the backup was taken (ISO-8601), beside {@link #BACKUP_ID}. */
    public static final String BACKUP_TAKEN_AT = "backup_taken_at";

    private static final String TICKET = "hub_ticket:";
    private static final String SHOWN = "hub_ticket_shown:";
    private static final String HUB_RESTORED = "hub_restored:";
    /** The recovery mark's values: the restored hub has not answered this device yet, or has. */
    private static final String UNANSWERED = "1";

    private static final String ANSWERED = "answered";

    private DeviceStanding() {}

    /**
     * What this device shows the hub {@code hubNode} now: its ticket, with the nonce it drew when it first
     * showed it. The nonce is drawn and kept here when the ticket was not shown yet, or when this database
     * is a restored backup that has not shown it since the restore (a second copy of the backup draws its
     * own). The nonce is the engine's time {@code nowMillis}: two databases showing one ticket in the same
     * millisecond are told apart one sync later, and a simulation on a clock of its own replays bit for
     * bit. Run in a transaction of its own, committed before the request goes out.
     */
    public static Standing show(Connection c, String hubNode, long nowMillis) throws SQLException {
        long ticket = ticket(c, hubNode);
        String backup = MetaKeys.get(c, BACKUP_ID).orElse(null);
        String tag = backup == null ? "-" : backup;
        String[] shown =
                MetaKeys.get(c, SHOWN + hubNode).map(v -> v.split(",", 3)).orElse(null);
        String nonce;
        if (shown != null && shown.length == 3 && shown[0].equals(Long.toString(ticket)) && shown[2].equals(tag)) {
            nonce = shown[1];
        } else {
            nonce = Long.toString(nowMillis, 36);
            put(c, SHOWN + hubNode, ticket + "," + nonce + "," + tag);
        }
        return new Standing(ticket, nonce, backup, restoreUnanswered(c, hubNode));
    }

    private static long ticket(Connection c, String hubNode) throws SQLException {
        return MetaKeys.getLong(c, TICKET + hubNode).orElse(0L);
    }

    /** Keeps the ticket the hub answered with, if it is later than the one kept (0: it gave none). */
    public static void received(Connection c, String hubNode, long ticket) throws SQLException {
        if (ticket > 0 && ticket > ticket(c, hubNode)) {
            put(c, TICKET + hubNode, Long.toString(ticket));
        }
    }

    /** The hub has heard of the restore and sent back what this node pushed after the backup. */
    public static void restoreAnnounced(Connection c) throws SQLException {
        MetaKeys.remove(c, BACKUP_ID, BACKUP_TAKEN_AT);
    }

    /** Whether this device is re-pushing its writes to {@code hubNode} after hearing that it was restored. */
    public static boolean recoveringHub(Connection c, String hubNode) throws SQLException {
        return MetaKeys.get(c, HUB_RESTORED + hubNode).isPresent();
    }

    /**
     * Marks (or, done, unmarks) a re-push to a restored hub. A new mark says the restored hub has not
     * answered this device yet ({@link #restoreAnswered}).
     */
    public static void recoveringHub(Connection c, String hubNode, boolean on) throws SQLException {
        if (on) {
            put(c, HUB_RESTORED + hubNode, UNANSWERED);
        } else {
            MetaKeys.remove(c, HUB_RESTORED + hubNode);
        }
    }

    /**
     * The restored hub {@code hubNode} answered this device during its recovery: it took the device's ticket
     * as its own record, and the tickets it hands out from then on are of its history as it is now.
     */
    public static void restoreAnswered(Connection c, String hubNode) throws SQLException {
        Jdbc.update(c, "UPDATE _shuttle_meta SET value = ? WHERE key = ?", ANSWERED, HUB_RESTORED + hubNode);
    }

    /**
     * Whether this device is recovering from a restore of {@code hubNode} that the restored hub has not
     * answered yet: it shows that it has seen the restore ({@link Standing#hubRestoreSeen}) until then, and
     * no more, so that a ticket it shows afterwards that the hub never handed out tells of another restore.
     */
    static boolean restoreUnanswered(Connection c, String hubNode) throws SQLException {
        return MetaKeys.get(c, HUB_RESTORED + hubNode)
                .filter(UNANSWERED::equals)
                .isPresent();
    }

    /** The hubs this device is recovering from a restore of (re-pushing its writes, then taking their snapshot). */
    public static java.util.List<String> hubsRecovering(Connection c) throws SQLException {
        return new java.util.ArrayList<>(MetaKeys.withPrefix(c, HUB_RESTORED).keySet());
    }

    /** Forgets the tickets and recovery marks of every hub (a database taking a new node identity). */
    public static void forgetHubs(Connection c) throws SQLException {
        MetaKeys.removePrefix(c, TICKET);
        MetaKeys.removePrefix(c, SHOWN);
        MetaKeys.removePrefix(c, HUB_RESTORED);
        restoreAnnounced(c);
    }

    /**
     * Own changes the hub sent back (after a restore, in a snapshot) are ones it holds: the row's next local
     * write builds on their version. Applies to the feed entries written after {@code afterSeq}.
     */
    static void ownChangesAcknowledged(Connection c, long afterSeq) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE _shuttle_feed SET base = version WHERE seq > ? AND origin = 0 AND via IS NOT NULL"
                        + " AND base < version",
                afterSeq);
    }

    private static void put(Connection c, String key, String value) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                key,
                value);
    }
}
