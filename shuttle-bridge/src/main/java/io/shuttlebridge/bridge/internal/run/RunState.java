package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.SeenSet;
import io.shuttlebridge.bridge.internal.track.Counters;

/** The mutable state of one batch: its id, counters, cursor (as last committed) and the pass's seen-set. */
final class RunState {
    final long batchId;
    final Counters counters = new Counters();
    CursorStore.Cursor cursor;
    /** Non-null when this pass reconciles deletes at its end. */
    final SeenSet seen;

    boolean hasOpenLetters;
    boolean hasPending;

    RunState(long batchId, CursorStore.Cursor cursor, SeenSet seen) {
        this.batchId = batchId;
        this.cursor = cursor;
        this.seen = seen;
    }
}
