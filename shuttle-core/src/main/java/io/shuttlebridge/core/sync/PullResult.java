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
 */
public record PullResult(List<Change> changes, long next, boolean more, boolean resyncRequired) {
    public PullResult {
        changes = List.copyOf(changes);
    }

    public static PullResult resync(long since) {
        return new PullResult(List.of(), since, false, true);
    }
}
