package io.shuttlebridge.bridge.definition;

/** How deletes in the source are detected. */
public enum DeleteMode {
    /** Deletes are never propagated. */
    NONE,
    /** Only records flagged as deleted by the source (its {@code deleted} field) are deleted. */
    TOMBSTONE,
    /** Tombstones, and at the end of a complete pass every stored record the pass did not see. */
    RECONCILE
}
