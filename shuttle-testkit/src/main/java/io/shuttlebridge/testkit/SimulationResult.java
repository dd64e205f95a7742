package io.shuttlebridge.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a simulation did and found.
 *
 * @param writes application writes made, by kind
 * @param refusedWrites writes among them that the schema's own constraints refused (a CHECK, a
 *     UNIQUE, a row that needs a parent none of which exists yet): they changed nothing
 * @param recordedWrites writes read back from the nodes' feeds (application writes that changed a
 *     row, plus deletes and merges nodes made while applying): the history the oracle is built from
 * @param syncs syncs started during the random phase; {@code interruptedSyncs} of them ended by an injected fault
 * @param unexpectedErrors errors during syncs that no fault explains (first few messages)
 * @param settleRounds rounds of fault-free syncs until nothing changed, -1 when it never settled
 * @param hubRows rows per table on the hub at the end
 * @param conflicts conflict records on every node, {@code openConflicts} of them not resolved
 * @param restampedWrites pushed writes the hub re-stamped to its clock, stamped beyond its skew bound
 * @param checks what was checked, one line each
 * @param differences first differences between a replica and the hub (see {@link Convergence})
 * @param lostWrites first rows or columns where the hub does not hold what the policy's oracle expects
 * @param digest SHA-256 of the final SQLite files (the hub's when it is one, then every device's),
 *     byte for byte: a run is replayable when another run of the same seed and configuration gives
 *     the same digest (a hub on PostgreSQL is not in it)
 * @param elapsedMillis how long the run took, in real time
 * @param kept the folder holding the databases, or null when they were deleted
 */
public record SimulationResult(
        SimulationConfig config,
        Map<WriteKind, Integer> writes,
        int refusedWrites,
        int recordedWrites,
        int syncs,
        int interruptedSyncs,
        Map<Fault, Integer> faultsInjected,
        int conflicts,
        int openConflicts,
        int restampedWrites,
        List<String> unexpectedErrors,
        int settleRounds,
        Map<String, Integer> hubRows,
        List<String> checks,
        List<String> differences,
        List<String> lostWrites,
        String digest,
        long elapsedMillis,
        Path kept) {

    /** The kind of a generated write. */
    public enum WriteKind {
        INSERT,
        UPDATE,
        DELETE
    }

    public boolean passed() {
        return settleRounds > 0 && unexpectedErrors.isEmpty() && differences.isEmpty() && lostWrites.isEmpty();
    }
}
