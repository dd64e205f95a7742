package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.change.Stamp;
import java.util.List;

/**
 * What a hub did with a pushed batch.
 *
 * @param applied changes written
 * @param duplicates changes it already had (same row, same stamp): re-delivery is harmless
 * @param superseded changes older than what it holds under the table's policy
 * @param pending changes waiting for a parent row that has not arrived yet
 * @param conflicts conflicts recorded (rejected under VERSION_STRICT, kept for MANUAL, ...)
 * @param hubSeq the hub's feed position after the batch
 * @param rejected stamps of pushed changes the hub did not take (superseded, conflicting, kept local)
 */
public record PushResult(
        int applied,
        int duplicates,
        int superseded,
        int pending,
        List<ConflictRecord> conflicts,
        long hubSeq,
        List<Stamp> rejected) {
    public PushResult {
        conflicts = List.copyOf(conflicts);
        rejected = List.copyOf(rejected);
    }
}
