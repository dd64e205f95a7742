package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.HlcClock;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PushResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One batch being applied: its transaction and writer, who sent it, what it did so far (counts,
 * conflicts recorded, stamps of incoming changes not taken, changes re-stamped to this hub's clock), the rows it wrote, the rows with open
 * conflicts, and the engine's clocks: the hybrid logical clock that stamps the writes this node
 * makes in it, and the time its records carry. Internal.
 *
 * <p>The batches of several senders may be applied one after the other as the parts of one apply
 * ({@link #startPart}): the rows written and the open conflicts carry over from part to part, as they
 * would through the database between batches applied one by one; what a part did is counted apart.
 */
final class Batch {
    private final Connection c;
    private final ChangeWriter writer;
    private Sender sender;
    private final Set<String> openConflicts;
    private final MillisClock clock;
    private final HlcClock hlc;

    private int applied;
    private int duplicates;
    private int superseded;
    private List<ConflictRecord> conflicts = new ArrayList<>();
    private List<Stamp> rejected = new ArrayList<>();
    private List<PushResult.Restamped> restamped = new ArrayList<>();

    /** The stamps re-stamped changes were pushed with, by the stamp they are applied under. */
    private final Map<Stamp, Stamp> pushedAs = new HashMap<>();

    /** Whether the pending queue is known to be empty: it was read empty, and nothing was held since. */
    private boolean noneHeld;

    /** Rows written earlier in this batch: their feed entries are only written when the batch ends. */
    private final Map<RowRef, LocalRow> written = new HashMap<>();

    /**
     * @param openConflicts rows with open conflicts ({@link ConflictStore#rowId}), so that settling them
     *     costs nothing when there are none
     * @param hlc the engine's clock, past the database's clock position already
     */
    Batch(
            Connection c,
            ChangeWriter writer,
            Sender sender,
            Set<String> openConflicts,
            MillisClock clock,
            HlcClock hlc) {
        this.c = c;
        this.writer = writer;
        this.sender = sender;
        this.openConflicts = openConflicts;
        this.clock = clock;
        this.hlc = hlc;
    }

    /** The transaction's connection, for the apply's own metadata. */
    Connection connection() {
        return c;
    }

    /** The transaction's connection with every queued row write sent, for reading the user's tables. */
    Connection flushed() throws SQLException {
        writer.flush();
        return c;
    }

    ChangeWriter writer() {
        return writer;
    }

    /** Who sent the batch and the side this replica is on for it. */
    Sender sender() {
        return sender;
    }

    /** The next part of the apply, sent by {@code from}: what it does is counted from zero. */
    void startPart(Sender from) {
        sender = from;
        applied = 0;
        duplicates = 0;
        superseded = 0;
        conflicts = new ArrayList<>();
        rejected = new ArrayList<>();
        restamped = new ArrayList<>();
        pushedAs.clear();
    }

    /** Whether the pending queue is known to be empty (read empty in this apply, and nothing held since). */
    boolean noneHeld() {
        return noneHeld;
    }

    /** The pending queue was read empty ({@code true}), or a change was held in it ({@code false}). */
    void noneHeld(boolean empty) {
        noneHeld = empty;
    }

    /** The sender of a held change: the one it arrived with (this batch's role for changes held before roles were kept). */
    Sender senderOf(PendingStore.Pending p) {
        return new Sender(p.via(), p.heldAs() == null ? sender.role() : p.heldAs());
    }

    /** A stamp for a write made here, after every stamp received, applied or made so far. */
    long freshStamp() {
        return hlc.now();
    }

    /**
     * A stamp was received (an incoming change taken up) or applied: the engine's clock observes it, so
     * writes made here later are stamped after it.
     */
    void movePast(long stamp) {
        hlc.observe(stamp);
    }

    /** The engine's clock, for the times the batch's records carry. */
    MillisClock clock() {
        return clock;
    }

    void countApplied() {
        applied++;
    }

    void countDuplicate() {
        duplicates++;
    }

    /** An incoming change is dropped as older than the row; {@code reject}: its writer is told. */
    void supersede(Change r, boolean reject) {
        superseded++;
        if (reject) {
            reject(r);
        }
    }

    /** The incoming change was not taken as it is: its writer must not build on it (it is named by the stamp it was sent with). */
    void reject(Change r) {
        rejected.add(pushedAs.isEmpty() ? r.stamp() : pushedAs.getOrDefault(r.stamp(), r.stamp()));
    }

    /**
     * The change at {@code index} of the batch, pushed as {@code pushed}, stamped {@code aheadMillis}
     * ahead of this hub's clock, is applied as {@code applied}, under a stamp of this hub's.
     */
    void restamped(int index, Change pushed, Change applied, long aheadMillis) {
        restamped.add(new PushResult.Restamped(index, pushed.stamp(), applied.hlc(), aheadMillis));
        pushedAs.put(applied.stamp(), pushed.stamp());
    }

    /** Whether the incoming change {@code r} was re-stamped in this batch. */
    boolean wasRestamped(Change r) {
        return !pushedAs.isEmpty() && pushedAs.containsKey(r.stamp());
    }

    /** This batch's entry for the row, when it wrote the row. */
    LocalRow written(SyncedTable t, List<Object> key) {
        return written.isEmpty() ? null : written.get(RowRef.of(t, key));
    }

    LocalRow written(RowRef row) {
        return written.get(row);
    }

    void wrote(RowRef row, LocalRow entry) {
        written.put(row, entry);
    }

    void conflictRecorded(String rowId, ConflictRecord conflict) {
        openConflicts.add(rowId);
        conflicts.add(conflict);
    }

    /** Whether the row of {@code table} has open conflicts to close; it has none once this answered true. */
    boolean settles(String table, List<Object> key) {
        return !openConflicts.isEmpty() && openConflicts.remove(ConflictStore.rowId(table, key));
    }

    Applier.Outcome outcome(int pending) {
        return new Applier.Outcome(applied, duplicates, superseded, pending, conflicts, rejected, restamped);
    }
}
