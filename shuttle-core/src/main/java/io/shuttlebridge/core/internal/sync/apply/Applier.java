package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.HlcClock;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.PushResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Applies a batch of remote changes in one transaction under each table's conflict policy
 * ({@link ApplyRules}): parents before children for upserts, children before parents for deletes,
 * foreign-key checks deferred to commit, a change whose parent row is missing held in the pending
 * queue and released once the parent is there. Internal.
 *
 * <p>Writes this node makes while applying are stamped by the engine's {@link HlcClock}, which first
 * observes the database's clock position, then every incoming stamp; when the batch wrote entries,
 * the database's clock moves to a stamp of that clock with them. As a hub, a pushed change stamped
 * further ahead of the clock than the engine's skew bound is re-stamped first ({@link Restamper}).
 */
public final class Applier {
    /**
     * Counts, conflicts recorded, the stamps of incoming changes that were not taken (their writers must
     * not build on them), and the changes of a push re-stamped to this hub's clock.
     */
    public record Outcome(
            int applied,
            int duplicates,
            int superseded,
            int pending,
            List<ConflictRecord> conflicts,
            List<Stamp> rejected,
            List<PushResult.Restamped> restamped) {}

    private final Dialect dialect;
    private final SyncSchema schema;
    private final ApplyRules rules;
    private final Map<String, ConflictResolver> resolvers;
    private final int maxBatch;
    private final Consumer<Change> onApplied;
    private final MillisClock clock;
    private final HlcClock hlc;
    private final Restamper restamper;
    private final boolean checkAtOnce;

    /**
     * @param bound as a hub, how far ahead of {@code clock} a pushed stamp may be before it is re-stamped
     */
    public Applier(
            Dialect dialect,
            SyncSchema schema,
            Map<String, ConflictResolver> resolvers,
            int maxBatch,
            Consumer<Change> onApplied,
            MillisClock clock,
            HlcClock hlc,
            Duration bound) {
        this(
                dialect,
                schema,
                resolvers,
                maxBatch,
                onApplied,
                clock,
                hlc,
                new Restamper(new ClockBound(bound.toMillis()), clock),
                false);
    }

    private Applier(
            Dialect dialect,
            SyncSchema schema,
            Map<String, ConflictResolver> resolvers,
            int maxBatch,
            Consumer<Change> onApplied,
            MillisClock clock,
            HlcClock hlc,
            Restamper restamper,
            boolean checkAtOnce) {
        this.dialect = dialect;
        this.schema = schema;
        this.rules = new ApplyRules(schema.nodeUuid());
        this.resolvers = Map.copyOf(resolvers);
        this.maxBatch = maxBatch;
        this.onApplied = onApplied;
        this.clock = clock;
        this.hlc = hlc;
        this.restamper = restamper;
        this.checkAtOnce = checkAtOnce;
    }

    /**
     * This applier with foreign keys checked as each statement runs rather than at commit, and without
     * the engine's apply listener: for trying parts of a batch under savepoints, to find the changes a
     * database refuses, in a transaction that is rolled back afterwards.
     */
    public Applier checkingAtOnce() {
        return new Applier(dialect, schema, resolvers, maxBatch, ch -> {}, clock, hlc, restamper, true);
    }

    /**
     * Checks a pushed batch before it is applied: throws on a malformed change, and returns the changes
     * that name a table or column this replica does not sync (position to reason), to be refused alone.
     */
    public Map<Integer, String> misfits(List<Change> changes) {
        return ChangeValidator.misfits(schema, changes, maxBatch);
    }

    /** {@code changes} with table and column names spelt as this replica spells them (SQLite keeps case, PostgreSQL folds it). */
    public List<Change> canonical(List<Change> changes) {
        return CanonicalNames.of(schema, changes);
    }

    /**
     * A batch of one sender, to apply with others' ({@link #applyParts}); {@code resent}, the positions of its
     * changes that are copies of writes this hub acknowledged before and lost with a restore
     * ({@link Arrival#RESENT}).
     */
    public record Part(String fromPeer, List<Change> changes, Set<Integer> resent) {
        public Part {
            resent = Set.copyOf(resent);
        }

        public Part(String fromPeer, List<Change> changes) {
            this(fromPeer, changes, Set.of());
        }
    }

    /** Applies inside the caller's transaction; throws (and the caller rolls back) on bad input. */
    public Outcome apply(Connection c, List<Change> received, String fromPeer, Role as) throws SQLException {
        return applyParts(c, List.of(new Part(fromPeer, received)), as).getFirst();
    }

    /**
     * Applies a page of the snapshot of the hub {@code fromPeer} on this device, inside the caller's
     * transaction: its changes are the rows as the hub holds them now ({@link Arrival#SNAPSHOT}).
     */
    public Outcome applySnapshot(Connection c, List<Change> page, String fromPeer) throws SQLException {
        return applyParts(c, List.of(new Part(fromPeer, page)), Role.DEVICE, Arrival.SNAPSHOT)
                .getFirst();
    }

    /**
     * Applies the batches of several senders inside the caller's transaction, one after the other in the
     * order given, with the outcome of each as if it had been applied alone right after the ones before
     * it (a later part sees what an earlier one wrote). They share what one apply does once: the feed's
     * lock and its fold, the rows' entries looked up in one query per table, the node numbers, the rows
     * written in one statement per table and the feed entries in one. Throws (and the caller rolls back)
     * when any part is bad: nothing says which, so the caller applies them another way to find out.
     */
    public List<Outcome> applyParts(Connection c, List<Part> parts, Role as) throws SQLException {
        return applyParts(c, parts, as, Arrival.FRESH);
    }

    /** {@link #applyParts(Connection, List, Role)}, the changes arriving as {@code arrival} (but those resent). */
    private List<Outcome> applyParts(Connection c, List<Part> parts, Role as, Arrival arrival) throws SQLException {
        List<List<Change>> canonical = new ArrayList<>(parts.size());
        for (Part p : parts) {
            List<Change> changes = CanonicalNames.of(schema, p.changes());
            ChangeValidator.validate(schema, changes, maxBatch);
            canonical.add(changes);
        }
        Set<String> openConflicts = ConflictStore.openRows(c);
        ChangeWriter writer = new ChangeWriter(dialect, schema);
        writer.begin(c);
        boolean done = false;
        try {
            if (checkAtOnce) {
                String immediate = dialect.immediateConstraintsStatement();
                if (immediate != null) {
                    Jdbc.execute(c, immediate);
                }
            } else if (dialect.supportsDeferredConstraints()) {
                Jdbc.execute(c, dialect.deferConstraintsStatement());
            }
            hlc.observe(dialect.capture().lastHlc(c));
            Batch batch = new Batch(c, writer, new Sender(parts.getFirst().fromPeer(), as), openConflicts, clock, hlc);
            try (RowLookup rows = new RowLookup(dialect, batch)) {
                List<Outcome> outcomes = new ArrayList<>(parts.size());
                if (parts.size() == 1) {
                    List<Change> changes = canonical.getFirst();
                    List<Change> stamped = as == Role.HUB ? restamper.bound(batch, changes) : changes;
                    rows.prefetch(schema, stamped);
                    outcomes.add(new Steps(batch, rows, arrival)
                            .apply(ApplyOrder.parentsFirst(schema, stamped), resent(stamped, parts.getFirst())));
                } else {
                    List<Change> all = new ArrayList<>();
                    Set<String> nodes = new LinkedHashSet<>();
                    for (int i = 0; i < parts.size(); i++) {
                        all.addAll(canonical.get(i));
                        nodes.add(parts.get(i).fromPeer());
                        canonical.get(i).forEach(ch -> nodes.add(ch.origin()));
                    }
                    writer.knowNodes(nodes); // one query for the senders' and origins' numbers, not one each
                    rows.prefetch(schema, all); // re-stamping keeps keys: the entries of every part's rows at once
                    Steps steps = new Steps(batch, rows, arrival);
                    for (int i = 0; i < parts.size(); i++) {
                        batch.startPart(new Sender(parts.get(i).fromPeer(), as));
                        List<Change> changes = canonical.get(i);
                        List<Change> stamped = as == Role.HUB ? restamper.bound(batch, changes) : changes;
                        outcomes.add(
                                steps.apply(ApplyOrder.parentsFirst(schema, stamped), resent(stamped, parts.get(i))));
                    }
                }
                done = true;
                return outcomes;
            }
        } finally {
            if (done) {
                writer.end(hlc.now());
            } else {
                // the transaction rolls back: nothing more is run in it, so the caller sees the
                // apply's own failure (on PostgreSQL, not that the transaction was aborted)
                writer.discard();
            }
        }
    }

    /** The changes of {@code part} (as {@code stamped}, position for position) that are copies it resends. */
    private static Set<Change> resent(List<Change> stamped, Part part) {
        Set<Change> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i : part.resent()) {
            if (i < stamped.size()) {
                out.add(stamped.get(i));
            }
        }
        return out;
    }

    /** What applies the changes of a batch, or of each part of one apply in turn. */
    private final class Steps {
        private final Batch batch;
        private final ApplyStep step;
        private final PendingRelease release;
        private final Arrival arrival;

        Steps(Batch batch, RowLookup rows, Arrival arrival) {
            this.batch = batch;
            this.arrival = arrival;
            ParentCheck parents = new ParentCheck(schema, dialect, batch, rows);
            RowWrites writes = new RowWrites(batch, rows, onApplied);
            DeleteCascade cascade = new DeleteCascade(schema, dialect, batch, rows, writes, schema.nodeUuid());
            this.step = new ApplyStep(schema, dialect, rules, resolvers, batch, rows, parents, writes, cascade);
            this.release = new PendingRelease(schema, rules, batch, rows, parents, step);
        }

        /**
         * Applies the changes in order, then the held changes they allow; what the batch (or part) did. The
         * changes in {@code resent} arrive as copies of writes this hub lost ({@link Arrival#RESENT}), the
         * others as the batch's arrival.
         */
        Outcome apply(List<Change> ordered, Set<Change> resent) throws SQLException {
            for (Change ch : ordered) {
                batch.movePast(ch.hlc()); // received
                step.apply(ch, resent.contains(ch) ? Arrival.RESENT : arrival, batch.sender());
            }
            return batch.outcome(release.releaseAll());
        }
    }
}
