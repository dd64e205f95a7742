package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.ColumnStamps;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.sync.ConflictResolver;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies one change: asks the rules for a verdict, answers their questions from the database (or
 * the table's resolver), and carries out the decision. Internal.
 */
final class ApplyStep {
    private final SyncSchema schema;
    private final Dialect dialect;
    private final ApplyRules rules;
    private final Map<String, ConflictResolver> resolvers;
    private final Batch batch;
    private final RowLookup rows;
    private final ParentCheck parents;
    private final RowWrites writes;
    private final DeleteCascade cascade;
    private final String localNode;

    ApplyStep(
            SyncSchema schema,
            Dialect dialect,
            ApplyRules rules,
            Map<String, ConflictResolver> resolvers,
            Batch batch,
            RowLookup rows,
            ParentCheck parents,
            RowWrites writes,
            DeleteCascade cascade) {
        this.schema = schema;
        this.dialect = dialect;
        this.rules = rules;
        this.resolvers = resolvers;
        this.batch = batch;
        this.rows = rows;
        this.parents = parents;
        this.writes = writes;
        this.cascade = cascade;
        this.localNode = schema.nodeUuid();
    }

    void apply(Change r, Arrival arrival, Sender from) throws SQLException {
        SyncedTable t = schema.require(r.table());
        LocalRow l = rows.local(t, r.key());
        if (rules.lostWithHubHistory(from.role(), l, r, arrival)) {
            rows.forget(t, r.key(), l);
            l = null;
        }
        Verdict.Act act = answer(rules.onEntry(t, from.role(), l, r, arrival), t, l, r, from.role());
        if (batch.wasRestamped(r)) {
            act = rules.afterRestamp(l, act);
        }
        carryOut(act, t, l, r, from);
    }

    /**
     * Decides the held upsert {@code r}, whose parents are still missing, where the rules can do without
     * them (the rules left it waiting otherwise); returns whether it was decided and left the queue.
     */
    boolean settleWaiting(Change r, Sender from) throws SQLException {
        SyncedTable t = schema.require(r.table());
        LocalRow l = rows.local(t, r.key());
        Verdict.Act once = answer(rules.whileParentsMissing(t, from.role(), l, r), t, l, r, from.role());
        Verdict.Act act = answer(rules.withoutParents(from.role(), once), t, l, r, from.role());
        if (act instanceof Verdict.Hold) {
            return false;
        }
        PendingStore.release(batch.connection(), r);
        carryOut(act, t, l, r, from);
        return true;
    }

    /**
     * Whether the held change {@code r} is out of date ({@link ApplyRules#staleWhileHeld}), with the row's
     * column stamps where the rules compare columns (FIELD_LWW over a live row).
     */
    boolean staleWhileHeld(SyncedTable t, Role role, LocalRow l, Change r) throws SQLException {
        boolean columns = t.policy() == ConflictPolicy.FIELD_LWW && l != null && !l.tombstone() && !r.isDelete();
        return rules.staleWhileHeld(t, role, l, r, columns ? columnStamps(t, l) : Map.of());
    }

    /** Answers the rules' questions about {@code r} until they decide. */
    Verdict.Act answer(Verdict v, SyncedTable t, LocalRow l, Change r, Role role) throws SQLException {
        while (v instanceof Verdict.Ask ask) {
            v = switch (ask) {
                case Verdict.CheckParents x -> {
                    String missing = parents.missing(r);
                    yield missing == null ? rules.decide(t, role, l, r) : rules.onMissingParent(t, missing);
                }
                case Verdict.CheckHeld h ->
                    rules.onHeld(r, PendingStore.held(batch.connection(), r.table(), r.key()), h.reason());
                case Verdict.ReadColumns c ->
                    rules.onColumns(t, l, r, columnStamps(t, l), c.values() ? values(t, r) : null);
                case Verdict.ReadLocal x -> rules.onConcurrent(t, role, l, r, values(t, r));
                case Verdict.CheckDeletedParent x -> rules.onDeletedParent(l, r, parents.deletedParent(r));
                case Verdict.ReadStanding x -> rules.onRefused(values(t, r));
                case Verdict.AskResolver a -> rules.onResolution(role, l, r, a.local(), resolve(t, a.local(), r));
            };
        }
        return (Verdict.Act) v;
    }

    /**
     * The change to hold in place of the one held for its row: when the same writer made it on the held one (its
     * base is the held one's version), it is held on the held one's base, as this replica never took the held
     * one; its own base would name a version of the row made elsewhere, and a version check on release would
     * wrongly pass.
     */
    private Change onHeldChain(Change r) throws SQLException {
        Change held = PendingStore.held(batch.connection(), r.table(), r.key());
        if (held == null || !held.origin().equals(r.origin()) || held.version() != r.base()) {
            return r;
        }
        return new Change(
                r.table(),
                r.key(),
                r.op(),
                r.values(),
                r.hlc(),
                r.origin(),
                r.version(),
                held.base(),
                r.columnStamps());
    }

    private void carryOut(Verdict.Act act, SyncedTable t, LocalRow l, Change r, Sender from) throws SQLException {
        switch (act) {
            case Verdict.Duplicate x -> batch.countDuplicate();
            case Verdict.Superseded s -> batch.supersede(r, s.reject());
            case Verdict.Resent x -> {
                batch.supersede(r, x.reject());
                writes.resend(t, l, l.tombstone() ? null : values(t, r), r.key());
            }
            case Verdict.Hold h -> {
                PendingStore.hold(
                        batch.connection(), onHeldChain(r), from.via(), h.reason(), from.role(), batch.clock());
                batch.noneHeld(false);
            }
            case Verdict.Take x -> take(t, r, from.via());
            case Verdict.TakeColumns c -> take(t, c.change(), from.via());
            case Verdict.MergeColumns m ->
                take(
                        t,
                        new Change(
                                t.name(),
                                r.key(),
                                Op.UPSERT,
                                m.values(),
                                batch.freshStamp(),
                                localNode,
                                m.version(),
                                m.base(),
                                m.stamps()),
                        null);
            case Verdict.RecordConflict c -> {
                writes.recordConflict(t, l, c.local(), r);
                if (c.then() == Verdict.Then.RESEND) {
                    writes.resend(t, l, c.local(), r.key());
                } else {
                    adopt(t, r, from.via());
                }
            }
            case Verdict.KeepLocal k -> {
                batch.supersede(r, true);
                if (k.rewrite() == null) {
                    writes.resend(t, l, k.local(), r.key());
                } else {
                    writeMerged(t, r, k.rewrite());
                }
            }
            case Verdict.Merged m -> writeMerged(t, r, m);
            case Verdict.Orphaned o -> {
                writes.write(
                        t,
                        new Change(
                                t.name(),
                                r.key(),
                                Op.DELETE,
                                Map.of(),
                                batch.freshStamp(),
                                localNode,
                                o.version(),
                                o.base(),
                                Map.of()),
                        null);
                writes.recordConflict(t, rows.local(t, r.key()), null, r);
            }
        }
    }

    /** Writes the change as it is; it was made after any conflict open on the row, which it settles. */
    private void take(SyncedTable t, Change r, String via) throws SQLException {
        adopt(t, r, via);
        writes.settleConflicts(t, r.key(), "superseded by a later write");
    }

    /** Writes the change as it is, leaving conflict records alone. */
    private void adopt(SyncedTable t, Change r, String via) throws SQLException {
        if (r.isDelete()) {
            cascade.deleteReferring(t, r.key());
        }
        writes.write(t, r, via);
        batch.movePast(r.hlc());
        batch.countApplied();
    }

    private void writeMerged(SyncedTable t, Change r, Verdict.Merged m) throws SQLException {
        batch.reject(r);
        Op op = m.values() == null ? Op.DELETE : Op.UPSERT;
        Map<String, Object> values = m.values() == null ? Map.of() : m.values();
        writes.write(
                t,
                new Change(
                        t.name(), r.key(), op, values, batch.freshStamp(), localNode, m.version(), m.base(), Map.of()),
                null);
        writes.settleConflicts(t, r.key(), "merged by resolver");
        batch.countApplied();
    }

    /** The row's column stamps (FIELD_LWW); a column without one carries the row's stamp. */
    private Map<String, Stamp> columnStamps(SyncedTable t, LocalRow l) throws SQLException {
        if (l.storedKey() == null) {
            return Map.of();
        }
        return ColumnStamps.load(batch.flushed(), t, List.of(l.storedKey()))
                .getOrDefault(FeedReader.keyOf(l.storedKey()), Map.of());
    }

    /** The row's current values (replicated columns), or null when it does not exist. */
    private Map<String, Object> values(SyncedTable t, Change r) throws SQLException {
        return LocalRow.values(batch.flushed(), dialect, t, r.key());
    }

    /** What the table's resolver makes of the write {@code r} concurrent with the row {@code local} (null: deleted). */
    private ConflictResolver.Resolution resolve(SyncedTable t, Map<String, Object> local, Change r) {
        return resolver(t).resolve(t.name(), local, r.isDelete() ? null : r.values(), Optional.empty());
    }

    private ConflictResolver resolver(SyncedTable t) {
        ConflictResolver res = resolvers.get(t.name());
        if (res == null) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "table \"" + t.name() + "\" has the CUSTOM policy but no ConflictResolver is registered for it");
        }
        return res;
    }
}
