package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Change;
import java.util.List;

/**
 * A hub's answer to a device that showed it which rows of a table it holds ({@link RowSet}): the rows the
 * device may read that it lacks or holds at another version, and, on the last page, the hashes of the
 * device's rows that match none the device may read now (to remove locally, without capturing a delete).
 * DESIGN §9, move-in and move-out.
 *
 * @param changes the readable rows the device lacks or holds at another version (at most the page's limit)
 * @param gone on the last page, the device's row hashes that match no row it may read; empty before
 * @param more whether more rows follow: ask again with the hashes of the rows received added
 */
public record RowDiff(List<Change> changes, long[] gone, boolean more) {
    public RowDiff {
        changes = List.copyOf(changes);
        gone = gone.clone();
    }
}
