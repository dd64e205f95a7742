package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.Rejected;
import java.util.List;

/**
 * A slice of consecutive source records after stages 1 to 5. The slices of one chunk ({@code batch_size}
 * records) are written in one transaction, committed after the last slice with the position after it;
 * slicing only bounds how many prepared records are in memory at once.
 *
 * @param position the source token to resume after this slice's chunk (set on the last slice)
 * @param maxRowversion the highest row version in the slice, or null
 * @param commit whether this is the chunk's last slice, after which the chunk commits
 */
record Chunk(
        List<PreparedRecord> records,
        List<Rejected> rejected,
        String position,
        String maxRowversion,
        long fetched,
        long normalized,
        long invalid,
        long mapped,
        boolean commit) {}
