package io.shuttlebridge.bridge;

/** Record counts of one batch, stage by stage. */
public record BatchCounts(
        long fetched,
        long normalized,
        long invalid,
        long mapped,
        long inserted,
        long updated,
        long unchanged,
        long deleted,
        long pending,
        long resolved,
        long deadLettered,
        long retried) {

    public static final BatchCounts ZERO = new BatchCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** Rows written to the target: inserted + updated + deleted + resolved. */
    public long written() {
        return inserted + updated + deleted + resolved;
    }
}
