package io.shuttlebridge.core.sync;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a device shows its hub, with each pull and push, of where it stands with it, so that the hub
 * can tell the device's database from a copy of it and notice when it has itself been restored from
 * an older backup.
 *
 * <p>The hub answers every pull and push with a <em>ticket</em>, a number it hands out per node in
 * increasing order; the device keeps the latest it received (durably) and shows it on its next
 * request. A device shows only numbers it was given, and never one older than one it showed before.
 * So the hub refuses a ticket it has moved past ({@link io.shuttlebridge.core.ErrorCode#NODE_COPIED}:
 * another database synced as the same node since), unless the database says it was restored from a
 * backup ({@link #restoredBackup}); and a ticket it never handed out means the hub itself lost what
 * it had acknowledged ({@link io.shuttlebridge.core.ErrorCode#HUB_RESTORED}).
 *
 * @param ticket the latest ticket this device received from the hub, 0 before the first
 * @param nonce an id this database drew (from its clock) when it first showed {@code ticket} (null: none), shown with
 *     it every time: a copy of the database that shows the same ticket draws its own, so the hub tells the
 *     two apart even when neither has been given a new ticket since the copy was made
 * @param restoredBackup the id of the backup ({@code shuttle backup}) this database was restored from,
 *     until its first pull from the hub after the restore is done; null otherwise. While it is shown,
 *     the hub answers its pulls with {@code resync}: the device takes the hub's snapshot, which brings
 *     back what it pushed after the backup was taken
 * @param hubRestoreSeen the device was told its hub was restored and has not been answered by the
 *     restored hub yet: the hub takes the device's ticket as its own record. Once answered, the device
 *     shows it no more while it re-pushes its writes, so that another restore of the hub meanwhile is
 *     told like the first
 * @param resent with a push, the positions in it of the changes that are not this device's writes but copies
 *     of writes the hub acknowledged before and lost with a restore of it: rows this device received from the
 *     hub and keeps, since rows of its own refer to them, that the hub's snapshot no longer carried. The hub
 *     takes such a copy as the original write (its stamp, origin and version as they were) where it holds
 *     nothing of the row, counts it as a duplicate where it holds that very write, and otherwise keeps what it
 *     holds and sends it again, never recording a conflict for it. Empty with a pull, and in most pushes
 */
public record Standing(long ticket, String nonce, String restoredBackup, boolean hubRestoreSeen, Set<Integer> resent) {
    public Standing {
        if (ticket < 0) {
            throw new IllegalArgumentException("a ticket is zero or more, got " + ticket);
        }
        resent = resent == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(resent));
        if (resent.stream().anyMatch(i -> i < 0)) {
            throw new IllegalArgumentException("positions of resent changes are zero or more, got " + resent);
        }
    }

    /** A standing without resent changes (a pull's, or a push of this device's own writes). */
    public Standing(long ticket, String nonce, String restoredBackup, boolean hubRestoreSeen) {
        this(ticket, nonce, restoredBackup, hubRestoreSeen, Set.of());
    }

    /** This standing, shown with a push whose changes at {@code positions} are copies ({@link #resent}). */
    public Standing withResent(Set<Integer> positions) {
        return new Standing(ticket, nonce, restoredBackup, hubRestoreSeen, positions);
    }

    /** A device that has not been given a ticket yet. */
    public static final Standing FIRST = new Standing(0, null, null, false);
}
