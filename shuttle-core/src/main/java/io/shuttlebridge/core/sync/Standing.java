package io.shuttlebridge.core.sync;

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
 */
public record Standing(long ticket, String nonce, String restoredBackup, boolean hubRestoreSeen) {
    public Standing {
        if (ticket < 0) {
            throw new IllegalArgumentException("a ticket is zero or more, got " + ticket);
        }
    }

    /** A device that has not been given a ticket yet. */
    public static final Standing FIRST = new Standing(0, null, null, false);
}
