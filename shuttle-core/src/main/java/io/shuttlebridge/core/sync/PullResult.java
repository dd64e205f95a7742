package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Change;
import java.util.List;

/**
 * A page of changes from a hub.
 *
 * @param changes the changes, in hub feed order
 * @param next the cursor to ask from next time (advances even when every entry was filtered out)
 * @param more whether more entries follow right away
 * @param resyncRequired the cursor is behind the hub's tombstone purge horizon: take a snapshot
 * @param reconcile tables whose set of rows the device may read can have changed without every row
 *     that entered or left it being in the page (sync rules: a membership row changed, a row moved
 *     out of the device's set, the device's claims changed); the device compares its rows of each
 *     with the hub's and takes the difference (DESIGN §9, move-in and move-out)
 * @param ticket the ticket the hub handed out with this answer ({@link Standing}); 0 when it gave none
 * @param schemaVersion the version of the hub's synced schema when it served the page ({@code 0}: the
 *     hub did not say); when it differs from the one a device last saw, the device brings its tables up
 *     to the hub's schema before applying the page (DESIGN §10)
 * @param movedIn tables into whose set of rows the device may read rows can have entered, and none left,
 *     without being in the page (a membership row added on the hub); the device asks the hub for the rows
 *     that entered since the cursor it pulled this page from, without reconciling the whole table (DESIGN
 *     §9, move-in); said only to a device that asked with {@code moves=1}
 */
public record PullResult(
        List<Change> changes,
        long next,
        boolean more,
        boolean resyncRequired,
        List<String> reconcile,
        long ticket,
        long schemaVersion,
        List<String> movedIn) {
    public PullResult {
        changes = List.copyOf(changes);
        reconcile = List.copyOf(reconcile);
        movedIn = List.copyOf(movedIn);
    }

    public PullResult(
            List<Change> changes,
            long next,
            boolean more,
            boolean resyncRequired,
            List<String> reconcile,
            long ticket,
            long schemaVersion) {
        this(changes, next, more, resyncRequired, reconcile, ticket, schemaVersion, List.of());
    }

    public PullResult(List<Change> changes, long next, boolean more, boolean resyncRequired, List<String> reconcile) {
        this(changes, next, more, resyncRequired, reconcile, 0, 0);
    }

    public PullResult(List<Change> changes, long next, boolean more, boolean resyncRequired) {
        this(changes, next, more, resyncRequired, List.of());
    }

    public static PullResult resync(long since) {
        return new PullResult(List.of(), since, false, true);
    }

    /** This page, asking the device to reconcile {@code tables} as well. */
    public PullResult reconciling(List<String> tables) {
        return new PullResult(changes, next, more, resyncRequired, tables, ticket, schemaVersion, movedIn);
    }

    /** This page, saying rows may have entered the device's set of {@code tables} (and none left) as well. */
    public PullResult movingIn(List<String> tables) {
        return new PullResult(changes, next, more, resyncRequired, reconcile, ticket, schemaVersion, tables);
    }

    /** This page with the ticket the hub hands out with it. */
    public PullResult withTicket(long t) {
        return new PullResult(changes, next, more, resyncRequired, reconcile, t, schemaVersion, movedIn);
    }

    /** This page, saying it was served under the hub's schema {@code version}. */
    public PullResult withSchemaVersion(long version) {
        return new PullResult(changes, next, more, resyncRequired, reconcile, ticket, version, movedIn);
    }
}
