package io.shuttlebridge.bridge.internal.delta;

import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.store.StateStore;

/** The delta classification of one record against the stored state. */
public sealed interface Delta {

    PreparedRecord record();

    /** Not stored yet. */
    record Insert(PreparedRecord record) implements Delta {}

    /** Stored with other data. */
    record Update(PreparedRecord record, StateStore.Entry stored) implements Delta {}

    /**
     * Same data (or an older row version): skipped, nothing written to the target. When the
     * row version moved on with the same data, only the stored row version is refreshed.
     */
    record Unchanged(PreparedRecord record, StateStore.Entry stored, boolean refreshRowversion) implements Delta {}

    /** A tombstone for a stored record. */
    record Delete(PreparedRecord record, StateStore.Entry stored) implements Delta {}

    /** A tombstone for a record that was never stored: nothing to do. */
    record Ignored(PreparedRecord record) implements Delta {}
}
