package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Releases held changes once the batch is applied: each one whose parents have arrived is applied with
 * the sender it arrived with, one the row has moved past while it waited is dropped, rows held for each
 * other (a reference cycle) are released together, and when none of that goes further, the rules decide
 * those they can without their parents (see {@link ApplyRules#whileParentsMissing}). Internal.
 */
final class PendingRelease {
    private final SyncSchema schema;
    private final ApplyRules rules;
    private final Batch batch;
    private final RowLookup rows;
    private final ParentCheck parents;
    private final ApplyStep step;

    PendingRelease(
            SyncSchema schema, ApplyRules rules, Batch batch, RowLookup rows, ParentCheck parents, ApplyStep step) {
        this.schema = schema;
        this.rules = rules;
        this.batch = batch;
        this.rows = rows;
        this.parents = parents;
        this.step = step;
    }

    /** Whether the last {@link #releaseReady} left changes waiting for their parents (if not, none is held). */
    private boolean waiting;

    /** Applies every held change that can be applied now; returns how many stay held. */
    int releaseAll() throws SQLException {
        if (batch.noneHeld()) {
            return 0; // read empty earlier in this apply, and nothing held since
        }
        boolean progress = true;
        while (progress) {
            progress = releaseReady() || (waiting && (releaseCycle() || settleWaiting()));
        }
        return waiting ? (int) PendingStore.count(batch.connection()) : 0;
    }

    /**
     * Applies the held changes whose parents are here and drops those the row moved past; returns
     * whether one was applied.
     */
    private boolean releaseReady() throws SQLException {
        Connection c = batch.connection();
        boolean progress = false;
        waiting = false;
        List<PendingStore.Pending> held = PendingStore.all(c);
        if (held.isEmpty()) {
            batch.noneHeld(true);
        }
        for (PendingStore.Pending p : held) {
            Change r = p.change();
            Sender from = batch.senderOf(p);
            SyncedTable t = schema.require(r.table());
            if (step.staleWhileHeld(t, from.role(), rows.local(t, r.key()), r)) {
                PendingStore.release(c, r); // a later write to the row arrived meanwhile
                continue;
            }
            if (parents.missing(r) == null) {
                PendingStore.release(c, r);
                step.apply(r, Arrival.RELEASED, from);
                progress = true;
            } else {
                waiting = true;
            }
        }
        return progress;
    }

    /** Decides the held changes the rules can decide without their parents; returns whether one was. */
    private boolean settleWaiting() throws SQLException {
        boolean progress = false;
        for (PendingStore.Pending p : PendingStore.all(batch.connection())) {
            progress |= step.settleWaiting(p.change(), batch.senderOf(p));
        }
        return progress;
    }

    /**
     * Held rows that refer to each other (a reference cycle, such as two rows recreated after their
     * deletion) each wait for another's row, so none is ever released one at a time. When every missing
     * parent of such a group is a held row the policy will take as it is, the group is applied together:
     * first each row is written with its references to rows not there yet set to null (where the column
     * allows it: databases that check foreign keys at once, as PostgreSQL does for ordinary ones, accept
     * no other order), then every change is applied as usual, which writes its references. Returns
     * whether a group was released.
     */
    private boolean releaseCycle() throws SQLException {
        Map<RowRef, PendingStore.Pending> absent = new LinkedHashMap<>();
        for (PendingStore.Pending p : PendingStore.all(batch.connection())) {
            Change r = p.change();
            SyncedTable t = schema.require(r.table());
            LocalRow l = rows.local(t, r.key());
            if (r.op() == Op.UPSERT
                    && (l == null || l.tombstone())
                    && takenAsItIs(t, l, r, batch.senderOf(p).role())) {
                absent.put(RowRef.of(t, r.key()), p);
            }
        }
        Map<RowRef, List<RowRef>> waitsFor = new HashMap<>();
        for (var e : absent.entrySet()) {
            waitsFor.put(e.getKey(), promisedParents(e.getValue().change(), absent));
        }
        boolean removed = true;
        while (removed) { // keep the rows whose every missing parent is a row kept
            removed = waitsFor.entrySet()
                    .removeIf(e -> e.getValue() == null || !waitsFor.keySet().containsAll(e.getValue()));
        }
        if (waitsFor.isEmpty()) {
            return false;
        }
        List<PendingStore.Pending> group = absent.entrySet().stream()
                .filter(e -> waitsFor.containsKey(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
        for (PendingStore.Pending p : group) {
            writeWithoutMissingReferences(p.change());
        }
        for (PendingStore.Pending p : group) {
            PendingStore.release(batch.connection(), p.change());
            step.apply(p.change(), Arrival.RELEASED, batch.senderOf(p));
        }
        return true;
    }

    /**
     * Whether the policy takes the held upsert {@code r} of a row this replica does not hold ({@code l}
     * is null or a tombstone) with its values as they are, once the group provides its parents (for such a
     * row the rules ask nothing of the database, a custom resolver at most).
     */
    private boolean takenAsItIs(SyncedTable t, LocalRow l, Change r, Role role) throws SQLException {
        return step.answer(rules.onceParentsArrive(t, role, l, r), t, l, r, role)
                .takesAsItIs();
    }

    /** Writes the row of the upsert with its references to missing parents set to null where the column allows. */
    private void writeWithoutMissingReferences(Change r) throws SQLException {
        SyncedTable t = schema.require(r.table());
        Map<String, Object> values = new LinkedHashMap<>(r.values());
        for (ForeignKey fk : parents.missingReferences(r)) {
            for (String col : fk.childColumns()) {
                if (t.table().column(col).map(Column::nullable).orElse(false)) {
                    values.put(col, null);
                }
            }
        }
        batch.writer()
                .upsertRow(
                        t,
                        new Change(
                                r.table(),
                                r.key(),
                                Op.UPSERT,
                                values,
                                r.hlc(),
                                r.origin(),
                                r.version(),
                                r.base(),
                                Map.of()));
    }

    /**
     * The held rows of {@code candidates} that would provide the missing parents of {@code r}, or null
     * when a missing parent is not among them.
     */
    private List<RowRef> promisedParents(Change r, Map<RowRef, PendingStore.Pending> candidates) throws SQLException {
        List<RowRef> out = new ArrayList<>();
        for (ForeignKey fk : schema.require(r.table()).table().foreignKeys()) {
            List<Object> ref = parents.missingParent(r, fk);
            if (ref == null) {
                continue;
            }
            RowRef found = null;
            for (var e : candidates.entrySet()) {
                Change p = e.getValue().change();
                if (p.table().equals(fk.parentTable())
                        && sameValues(
                                ref,
                                fk.parentColumns().stream().map(p.values()::get).toList())) {
                    found = e.getKey();
                    break;
                }
            }
            if (found == null) {
                return null;
            }
            out.add(found);
        }
        return out;
    }

    private static boolean sameValues(List<Object> a, List<Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (b.get(i) == null || !FeedReader.keyOf(a.get(i)).equals(FeedReader.keyOf(b.get(i)))) {
                return false;
            }
        }
        return true;
    }
}
