package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.Rejected;
import java.util.List;

/**
 * A run of consecutive source records after stages 1 to 5, committed together with the position after its last record.
 *
 * @param position the source token to resume after this chunk
 * @param maxRowversion the highest row version in the chunk, or null
 */
record Chunk(List<PreparedRecord> records, List<Rejected> rejected, String position, String maxRowversion,
        long fetched, long normalized, long invalid, long mapped) {}
