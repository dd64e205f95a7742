package io.shuttlebridge.core.sync;

import java.util.Arrays;

/**
 * Which rows of one table a device holds, compactly: one 64-bit hash per row of its key and version
 * stamp, sorted, restricted to one part of the table's keys ({@code part} of {@code parts}, by a hash of
 * the key) so that a large table is shown in bounded requests. Hub and device hash rows the same way
 * ({@code RowHashes}). DESIGN §9, move-in and move-out.
 *
 * @param part which part of the keys, from 0
 * @param parts how many parts the keys are split into (1: the whole table)
 * @param hashes the device's row hashes in that part, sorted ascending (signed order)
 */
public record RowSet(int part, int parts, long[] hashes) {
    /** The most parts a table's keys are split into. */
    public static final int MAX_PARTS = 4096;

    public RowSet {
        if (parts < 1 || parts > MAX_PARTS) {
            throw new IllegalArgumentException("parts must be between 1 and " + MAX_PARTS + ", got " + parts);
        }
        if (part < 0 || part >= parts) {
            throw new IllegalArgumentException("part must be between 0 and " + (parts - 1) + ", got " + part);
        }
        hashes = hashes.clone();
        for (int i = 1; i < hashes.length; i++) {
            if (hashes[i - 1] > hashes[i]) {
                throw new IllegalArgumentException("the row hashes must be sorted ascending (at " + i + ")");
            }
        }
    }

    /** Whether {@code hash} is one of these. */
    public boolean contains(long hash) {
        return Arrays.binarySearch(hashes, hash) >= 0;
    }
}
