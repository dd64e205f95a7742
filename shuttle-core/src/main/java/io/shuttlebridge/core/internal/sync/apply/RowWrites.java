package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What a batch writes besides the rules' decisions themselves: rows with their feed entries, a feed
 * entry sent again, conflict records, and closing a row's open conflicts. Internal.
 */
final class RowWrites {
    private final Batch batch;
    private final RowLookup rows;
    private final ChangeWriter writer;
    private final Consumer<Change> onApplied;

    RowWrites(Batch batch, RowLookup rows, Consumer<Change> onApplied) {
        this.batch = batch;
        this.rows = rows;
        this.writer = batch.writer();
        this.onApplied = onApplied;
    }

    /** Writes the row and its feed entry, which records {@code via} as the peer it came from (null: made here). */
    void write(SyncedTable t, Change ch, String via) throws SQLException {
        RowRef ref = RowRef.of(t, ch.key());
        LocalRow before = batch.written(ref);
        Object stored = before != null ? before.storedKey() : rows.storedKey(t, ch.key());
        writer.via(via);
        writer.write(ch, before == null && ch.key().size() == 1 && rows.prefetchedAbsent(t, stored));
        onApplied.accept(ch);
        batch.wrote(ref, new LocalRow(stored, ch.op(), ch.stamp(), ch.version(), ch.base()));
    }

    /** The hub's row stands: its feed entry moves to the end so every puller gets it (again). */
    void resend(SyncedTable t, LocalRow l, Map<String, Object> local, List<Object> key) throws SQLException {
        writer.via(null);
        writer.writeFeed(
                t,
                new Change(
                        t.name(),
                        key,
                        l.op(),
                        local,
                        l.stamp().hlc(),
                        l.stamp().origin(),
                        l.version(),
                        l.base(),
                        Map.of()),
                l.version());
        batch.wrote(RowRef.of(t, key), l);
    }

    /** Keeps both sides of a concurrent write ({@code local} null: deleted here); the incoming one was not taken as it is. */
    void recordConflict(SyncedTable t, LocalRow l, Map<String, Object> local, Change r) throws SQLException {
        batch.reject(r);
        batch.conflictRecorded(
                ConflictStore.rowId(t.name(), r.key()),
                ConflictStore.record(
                        batch.connection(),
                        batch.clock(),
                        t.name(),
                        r.key(),
                        t.policy(),
                        l.tombstone() ? null : local,
                        l.stamp().hlc(),
                        l.stamp().origin(),
                        l.version(),
                        r.isDelete() ? null : r.values(),
                        r.hlc(),
                        r.origin(),
                        r.version(),
                        r.base()));
    }

    /** Closes the row's open conflicts, saying how: a write made after them was applied. */
    void settleConflicts(SyncedTable t, List<Object> key, String how) throws SQLException {
        if (batch.settles(t.name(), key)) {
            ConflictStore.closeForRow(batch.connection(), batch.clock(), t.name(), key, how);
        }
    }
}
