package io.shuttlebridge.core.sync;

import java.util.Map;
import java.util.Optional;

/**
 * A custom conflict policy: a pure function of the local row, the incoming row and their common
 * base (when known), deciding on the hub. Null maps stand for a deleted row.
 */
@FunctionalInterface
public interface ConflictResolver {
    Resolution resolve(
            String table, Map<String, Object> local, Map<String, Object> remote, Optional<Map<String, Object>> base);

    /** The closed set of outcomes. */
    sealed interface Resolution permits KeepLocal, TakeRemote, Merged, Manual {}

    /** The hub's row stands and flows back to the writer. */
    record KeepLocal() implements Resolution {}

    /** The incoming row wins. */
    record TakeRemote() implements Resolution {}

    /** A merged row, written as a new change that flows to every replica. */
    record Merged(Map<String, Object> values) implements Resolution {}

    /** Keep a conflict record and decide later. */
    record Manual() implements Resolution {}
}
