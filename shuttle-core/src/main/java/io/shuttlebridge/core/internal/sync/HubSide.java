package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.DurationText;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.OneConnection;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.OneAttempt;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.feed.FeedRange;
import io.shuttlebridge.core.internal.feed.FeedRanges;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.feed.FeedTail;
import io.shuttlebridge.core.internal.feed.NodeNames;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.feed.RulePage;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PeerCursor;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.WriteGuard;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An engine serving as a hub: it accepts pushes, serves pulls and snapshots, and purges tombstones. Internal. */
public final class HubSide {
    private static final Logger log = LoggerFactory.getLogger(HubSide.class);

    private final EngineContext engine;
    private final ShuttleDatabase db;
    /** Group commit of concurrent pushes, on a database whose pushes run on several connections at once. */
    private final PushGroups<GroupedPush> groups;
    /** The connection groups of pushes commit on, kept while pushes wait (with {@link #groups}). */
    private final PushLane lane;
    /** The nodes of the database, for the pages pulls read. */
    private final NodeNames names = new NodeNames();

    public HubSide(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
        this.groups = db.pooled() && !"off".equals(System.getProperty(PushGroups.PROPERTY)) ? new PushGroups<>() : null;
        this.lane = groups == null ? null : new PushLane(db);
    }

    /** The highest seq in this database's feed, local writes made since the last read included. */
    public long feedPosition() {
        return db.transaction(c -> {
            Dialects.of(db).capture().foldForReading(c);
            return Feed.top(c);
        });
    }

    /**
     * Applies a pushed batch atomically and idempotently; a change stamped further ahead of this hub's
     * clock than its skew bound is applied under a stamp of this hub's, listed in the answer. A change
     * this hub cannot store for good (a table or column it does not sync, a constraint of its tables, a
     * value too large for its column, a write its database refuses to a table whose shape changed
     * destructively and was not taken yet) is left out and listed in {@link PushResult#refused()} with the
     * reason, and the rest of the batch is applied: one such change never blocks the device's queue. A
     * malformed batch is refused whole, and nothing is applied.
     */
    public PushResult acceptPush(String fromNode, List<Change> changes) {
        return acceptPush(fromNode, changes, WriteGuard.NONE);
    }

    /** Applies a pushed batch atomically and idempotently, leaving out the changes {@code guard} refuses. */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard) {
        return acceptPush(fromNode, changes, guard, Set.of());
    }

    /**
     * {@link #acceptPush(String, List, WriteGuard)} where the changes at {@code resent} are copies of writes this
     * hub acknowledged before and lost with a restore ({@link io.shuttlebridge.core.sync.Standing#resent}).
     */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard, Set<Integer> resent) {
        NodeIds.require(fromNode);
        resent.stream().filter(i -> i >= changes.size()).findFirst().ifPresent(i -> {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the push lists change " + i + " as resent but has " + changes.size() + " change(s)");
        });
        PushResult r = apply(fromNode, changes, guard, resent);
        if (!r.restamped().isEmpty()) {
            long ahead = r.restamped().stream()
                    .mapToLong(PushResult.Restamped::aheadMillis)
                    .max()
                    .orElse(0);
            log.warn(
                    "re-stamped {} change(s) pushed by {}: stamped up to {} ahead of this hub's clock, more than its"
                            + " skew bound of {}; the device's clock is wrong",
                    r.restamped().size(),
                    fromNode,
                    DurationText.of(ahead),
                    DurationText.of(engine.hlc().maxSkew().toMillis()));
        }
        return r;
    }

    private PushResult apply(String fromNode, List<Change> received, WriteGuard guard, Set<Integer> resent) {
        long arrived = System.nanoTime();
        List<Change> changes = engine.applier().canonical(received);
        Map<Integer, RefusalReason> refused = new TreeMap<>();
        engine.applier()
                .misfits(changes)
                .forEach((i, why) -> refused.put(i, new RefusalReason(ErrorCode.SCHEMA_MISMATCH, why)));
        if (groups == null) {
            return applyAlone(fromNode, changes, guard, refused, resent, arrived, db::durableTransaction);
        }
        GroupedPush push = new GroupedPush(fromNode, changes, guard, refused, resent, arrived);
        groups.commit(push, changes.size(), this::commitGroup);
        if (push.failure != null) {
            throw push.failure;
        }
        if (push.result != null) {
            return push.result;
        }
        // its group's transaction rolled it back (a refusal or a failure to sort out): alone, as if it came alone
        return applyAlone(fromNode, changes, guard, refused, resent, 0, db::durableTransaction);
    }

    /** A push waiting for its group to commit, and what became of it there. */
    private static final class GroupedPush {
        final String fromNode;
        final List<Change> changes;
        final WriteGuard guard;
        final Map<Integer, RefusalReason> refused;
        /** The positions of its changes that are copies of writes this hub lost with a restore. */
        final Set<Integer> resent;
        /** When it reached the engine ({@link System#nanoTime()}). */
        final long arrived;
        /** Its result once its group committed; null when it is to be applied alone. */
        PushResult result;
        /** What applying it alone threw, for a group of one. */
        RuntimeException failure;

        GroupedPush(
                String fromNode,
                List<Change> changes,
                WriteGuard guard,
                Map<Integer, RefusalReason> refused,
                Set<Integer> resent,
                long arrived) {
            this.fromNode = fromNode;
            this.changes = changes;
            this.guard = guard;
            this.refused = refused;
            this.resent = resent;
            this.arrived = arrived;
        }
    }

    /**
     * Commits the pushes of a group in one transaction on the groups' {@link PushLane}, as {@link OneAttempt}
     * (no savepoint: what fails fails the transaction): the feed gets their entries in the group's order
     * under one hold of its lock, and one commit makes them durable and visible together. Pushes without a
     * write guard are applied as the parts of one apply ({@link #appliedTogether}); when that fails, or a
     * push has a guard, they are applied one after the other in the transaction. A push is applied whole or
     * not at all: when one fails or has changes refused, the transaction rolls back and the group goes again
     * without it, and it is applied alone afterwards, where its refusals are sorted out as for any push. A
     * group of one is applied as a push that came alone.
     */
    private void commitGroup(List<GroupedPush> group) {
        try {
            commitOnLane(group);
        } finally {
            if (!groups.waiting()) {
                lane.release(); // no group follows at once: the connection goes back to the pool
            }
        }
    }

    private void commitOnLane(List<GroupedPush> group) {
        if (group.size() == 1) {
            GroupedPush p = group.getFirst();
            try {
                p.result = applyAlone(
                        p.fromNode, p.changes, p.guard, p.refused, p.resent, p.arrived, lane::durableTransaction);
            } catch (RuntimeException e) {
                p.failure = e;
            }
            return;
        }
        long start = System.nanoTime();
        for (GroupedPush p : group) {
            engine.pushTimes().queued(start - p.arrived);
        }
        if (group.stream().allMatch(p -> p.guard == WriteGuard.NONE) && appliedTogether(group)) {
            return;
        }
        List<GroupedPush> pending = new ArrayList<>(group);
        while (pending.size() > 1) {
            List<PushResult> results = new ArrayList<>(pending.size());
            int[] failed = {-1};
            long top;
            long began = System.nanoTime();
            try {
                top = OneAttempt.run(() -> lane.durableTransaction(c -> {
                    for (int i = 0; i < pending.size(); i++) {
                        GroupedPush p = pending.get(i);
                        try {
                            results.add(applyGuarded(
                                    c, p.fromNode, p.changes, p.guard, new TreeMap<>(p.refused), p.resent, false));
                        } catch (SQLException | RuntimeException e) {
                            failed[0] = i;
                            throw new LeftAlone(e);
                        }
                    }
                    return Feed.top(c);
                }));
            } catch (LeftAlone e) {
                pending.remove(failed[0]); // rolled back with the rest: it goes alone, the others again
                continue;
            } catch (Exception e) {
                log.debug("a group of {} pushes did not commit; each is applied alone", pending.size(), e);
                return;
            }
            engine.pushTimes().committed(pending.size(), System.nanoTime() - began);
            for (int i = 0; i < pending.size(); i++) {
                PushResult r = results.get(i);
                pending.get(i).result = new PushResult(
                        r.applied(),
                        r.duplicates(),
                        r.superseded(),
                        r.pending(),
                        r.conflicts(),
                        top, // the feed's position once the group is in
                        r.rejected(),
                        r.restamped(),
                        r.refused(),
                        r.ticket());
            }
            return;
        }
    }

    /**
     * Commits the pushes of a group as the parts of one apply ({@link Applier#applyParts}): one lookup of
     * their rows' entries, one write of their rows per table and one of their feed entries, under one hold
     * of the feed's lock, as if each had been applied right after the one before it. Returns false, with
     * nothing of it committed, when anything failed (a change the database refuses, a retired device):
     * which push failed is not known, so the group goes again push by push.
     */
    private boolean appliedTogether(List<GroupedPush> group) {
        long began = System.nanoTime();
        List<PushResult> results;
        try {
            results = OneAttempt.run(() -> lane.durableTransaction(c -> applyTogether(c, group)));
        } catch (Exception e) {
            log.debug("a group of {} pushes applied together did not commit; it goes push by push", group.size(), e);
            return false;
        }
        engine.pushTimes().committed(group.size(), System.nanoTime() - began);
        for (int i = 0; i < group.size(); i++) {
            group.get(i).result = results.get(i);
        }
        return true;
    }

    /** The pushes of a group applied together in {@code c}'s transaction, their results in order. */
    private List<PushResult> applyTogether(Connection c, List<GroupedPush> group) throws SQLException {
        refuseRetired(c, group.stream().map(p -> p.fromNode).distinct().toList());
        List<Applier.Part> parts = new ArrayList<>(group.size());
        List<List<Integer>> kept = new ArrayList<>(group.size());
        for (GroupedPush p : group) {
            List<Integer> k = keptOf(p.changes, p.refused);
            kept.add(k);
            parts.add(
                    new Applier.Part(p.fromNode, k.stream().map(p.changes::get).toList(), positionsIn(k, p.resent)));
        }
        List<Applier.Outcome> outcomes = engine.applier().applyParts(c, parts, Role.HUB);
        long top = Feed.top(c);
        List<PushResult> results = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            GroupedPush p = group.get(i);
            results.add(result(c, p.changes, p.refused, kept.get(i), outcomes.get(i), top));
        }
        return results;
    }

    /** The positions, among the changes {@code kept} (positions in the push), of those at {@code resent}. */
    private static Set<Integer> positionsIn(List<Integer> kept, Set<Integer> resent) {
        if (resent.isEmpty()) {
            return Set.of();
        }
        Set<Integer> out = new java.util.HashSet<>();
        for (int i = 0; i < kept.size(); i++) {
            if (resent.contains(kept.get(i))) {
                out.add(i);
            }
        }
        return out;
    }

    /** The positions of the changes not refused so far. */
    private static List<Integer> keptOf(List<Change> changes, Map<Integer, RefusalReason> refused) {
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (!refused.containsKey(i)) {
                kept.add(i);
            }
        }
        return kept;
    }

    /** A push of a group failed: the group's transaction rolls back, and the push is applied alone. */
    private static final class LeftAlone extends RuntimeException {
        LeftAlone(Throwable cause) {
            super("left out of its group", cause, false, false);
        }
    }

    /** Pushes committed in a group with other pushes so far (none where pushes are not grouped). */
    public long groupedPushes() {
        return groups == null ? 0 : groups.groupedPushes();
    }

    /** Groups of pushes committed so far, groups of one included (none where pushes are not grouped). */
    public long pushGroups() {
        return groups == null ? 0 : groups.groups();
    }

    /**
     * Applies a push in a transaction of its own, leaving out what the database or the guard refuses.
     *
     * @param arrived when the push reached the engine ({@link System#nanoTime()}), its queue time told once its
     *     transaction starts; 0 when it was told already
     * @param durable where its transaction runs (the pool's next connection, or the groups' lane)
     */
    private PushResult applyAlone(
            String fromNode,
            List<Change> changes,
            WriteGuard guard,
            Map<Integer, RefusalReason> refused,
            Set<Integer> resent,
            long arrived,
            Durable durable) {
        boolean[] told = {arrived == 0}; // the queue time is told once, when the first attempt starts
        int lostRaces = 0;
        while (true) {
            try {
                long began = System.nanoTime();
                // the answer says the batch is stored: its commit is on disk first
                PushResult r = durable.transaction(c -> {
                    if (!told[0]) {
                        engine.pushTimes().queued(System.nanoTime() - arrived);
                        told[0] = true;
                    }
                    return applyGuarded(c, fromNode, changes, guard, refused, resent, true);
                });
                engine.pushTimes().committed(1, System.nanoTime() - began);
                return r;
            } catch (RefusedAfterApply again) {
                // the transaction rolled back: apply the batch once more without what the rules refused
            } catch (DatabaseException e) {
                if (e.failure() == DatabaseException.Failure.SERIALIZATION_FAILURE && ++lostRaces < RACE_ATTEMPTS) {
                    // a deadlock, a lock wait timeout, a serialization failure: rolled back whole, run again
                    log.debug("a push from {} lost a race in the database (attempt {}); again", fromNode, lostRaces, e);
                    pauseAfterRace(lostRaces);
                    continue;
                }
                if (e.failure().transientFailure()) {
                    throw e;
                }
                // the transaction rolled back: find the changes the database refuses, apply the rest (a
                // failure that is no constraint or value only when a table has a schema change pending)
                Map<Integer, RefusalReason> poison = poisonOf(fromNode, changes, refused, e);
                if (poison.isEmpty()) {
                    throw unexplained(e);
                }
                poison.forEach((i, why) -> log.warn(
                        "the hub's database refuses changes[{}] pushed by {}: {} {}",
                        i,
                        fromNode,
                        why.code(),
                        why.message()));
                refused.putAll(poison);
            }
        }
    }

    /**
     * The changes of a batch that failed with {@code e} that the database refuses on their own; {@code e}
     * itself when a failure that is no constraint or value is not one of those.
     */
    private Map<Integer, RefusalReason> poisonOf(
            String fromNode, List<Change> changes, Map<Integer, RefusalReason> refused, DatabaseException e) {
        try {
            return new PoisonChanges(engine).find(fromNode, changes, refused.keySet());
        } catch (DatabaseException again) {
            if (!DatabaseRefusal.permanent(e.failure())) {
                throw e;
            }
            throw again;
        }
    }

    /** Where a durable transaction runs. */
    @FunctionalInterface
    private interface Durable {
        <T> T transaction(ShuttleDatabase.SqlWork<T> work);
    }

    /**
     * Attempts at a push whose transaction loses races in the database (an InnoDB deadlock or lock wait
     * timeout, a PostgreSQL serialization failure) before its failure is answered, as unavailable for a moment.
     */
    static final int RACE_ATTEMPTS = 4;

    /** A short, growing, jittered pause, so that the transactions that deadlocked do not meet again at once. */
    private static void pauseAfterRace(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 10L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(ErrorCode.UNAVAILABLE, "interrupted while retrying a push", e);
        }
    }

    /** A database refusal no single change explains: as before such changes were found, the batch is refused whole. */
    private static RuntimeException unexplained(DatabaseException e) {
        if (e.failure() != DatabaseException.Failure.INVALID_VALUE
                && e.failure() != DatabaseException.Failure.CONSTRAINT_VIOLATION) {
            return e;
        }
        String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
        return new ShuttleException(
                ErrorCode.MALFORMED_PAYLOAD,
                "the batch does not fit the hub's tables, nothing was applied: " + reason,
                e);
    }

    /**
     * One attempt at the batch, leaving out what is refused so far and what the guard refuses now.
     *
     * @param position whether to read the feed's position for the answer (a group reads it once, at its end)
     */
    private PushResult applyGuarded(
            Connection c,
            String fromNode,
            List<Change> changes,
            WriteGuard guard,
            Map<Integer, RefusalReason> refused,
            Set<Integer> resent,
            boolean position)
            throws SQLException {
        refuseRetired(c, fromNode);
        guard.before(c, changes).forEach((i, why) -> refused.putIfAbsent(i, RefusalReason.forbidden(why)));
        List<Integer> kept = keptOf(changes, refused);
        List<Change> batch = kept.stream().map(changes::get).toList();
        Applier.Outcome o = engine.applier()
                .applyParts(c, List.of(new Applier.Part(fromNode, batch, positionsIn(kept, resent))), Role.HUB)
                .getFirst();
        Map<Integer, String> late = guard.after(c, batch);
        if (!late.isEmpty()) {
            late.forEach((i, why) -> refused.put(kept.get(i), RefusalReason.forbidden(why)));
            throw new RefusedAfterApply();
        }
        long hubSeq = position ? Feed.top(c) : 0;
        return result(c, changes, refused, kept, o, hubSeq);
    }

    /**
     * The answer to a push: what the apply of its {@code kept} changes did, the changes refused (with the
     * hub's row where the push may not write it), and the feed's position {@code hubSeq}.
     */
    private PushResult result(
            Connection c,
            List<Change> changes,
            Map<Integer, RefusalReason> refused,
            List<Integer> kept,
            Applier.Outcome o,
            long hubSeq)
            throws SQLException {
        List<Stamp> notTaken = new ArrayList<>(o.rejected());
        List<PushResult.Refusal> refusals = new ArrayList<>();
        for (var e : refused.entrySet()) {
            Change ch = changes.get(e.getKey());
            notTaken.add(ch.stamp());
            RefusalReason why = e.getValue();
            Change hubRow = why.code() == ErrorCode.SCHEMA_MISMATCH
                    ? null // the device keeps its row
                    : CurrentRow.of(c, Dialects.of(db), engine.schema(), ch.table(), ch.key());
            refusals.add(new PushResult.Refusal(e.getKey(), ch.stamp(), why.code(), why.message(), hubRow));
        }
        List<PushResult.Restamped> restamped = o.restamped().stream()
                .map(x -> new PushResult.Restamped(kept.get(x.index()), x.stamp(), x.newHlc(), x.aheadMillis()))
                .toList();
        return new PushResult(
                o.applied(),
                o.duplicates(),
                o.superseded(),
                o.pending(),
                o.conflicts(),
                hubSeq,
                notTaken,
                restamped,
                refusals);
    }

    /** The guard refused changes on the rows the batch wrote: the transaction rolls back and the batch goes again. */
    private static final class RefusedAfterApply extends RuntimeException {
        RefusedAfterApply() {
            super("refused after apply", null, false, false);
        }
    }

    public PullResult servePull(String forNode, long since, int limit) {
        return servePull(forNode, since, limit, null, List.of());
    }

    /**
     * {@link #servePull(String, long, int)} keeping only the feed entries that satisfy {@code condition}
     * (SQL over the feed entry {@code f}; sync rules' read half).
     */
    public PullResult servePull(String forNode, long since, int limit, String condition, List<Object> args) {
        return servePull(forNode, since, limit, condition, args, null);
    }

    /**
     * {@link #servePull(String, long, int, String, List)} that also tells the device which tables to
     * reconcile, as {@code moves} finds from what the page's own statement saw of its range (null: none).
     */
    public PullResult servePull(
            String forNode, long since, int limit, String condition, List<Object> args, MoveCheck moves) {
        NodeIds.require(forNode);
        int n = engine.checkLimit(limit);
        FeedReader.Query q = FeedReader.Query.after(since, n).where(condition, args);
        if (moves != null) {
            q = q.watching(moves.watched(), moves.leftOutOf());
        }
        FeedReader.Query asked = q.excludingPeer(forNode);
        if (db.pooled()) {
            FeedReader.Page page = pooledPull(
                    forNode,
                    since,
                    (c, top) -> new FeedReader(Dialects.of(db), engine.schema(), names).readFolded(c, asked));
            return page == null ? PullResult.resync(since) : reconciled(page, moves == null ? null : moves.reconcile());
        }
        return db.transaction(c -> {
            refuseRetired(c, forNode);
            if (behindPurge(c, since)) {
                return PullResult.resync(since);
            }
            PeerStore.pulledBy(c, forNode, since, engine.clock().instant());
            FeedReader.Page page = new FeedReader(Dialects.of(db), engine.schema()).read(c, asked);
            PullResult r = pullResult(page);
            return moves == null ? r : moves.reconcile().answer(c, page, r);
        });
    }

    /**
     * A pull under sync rules (DESIGN §9) of a subject that reads the tables of {@code readable} (those
     * absent it may not read), each whole ({@link RowCondition#ALL}) or through its condition: the
     * range after {@code since} that every subject's page shares is read once per feed position and
     * kept in {@code ranges}, and this page looks up only the subject's own rows ({@link RulePage}), the
     * device's own changes left out; {@code watched} are the tables the conditions read, and {@code
     * reconcile} turns what the page saw into the tables the device should reconcile (null: none).
     */
    public PullResult servePullByRules(
            String forNode,
            long since,
            int limit,
            Map<String, RowCondition> readable,
            Set<String> watched,
            FeedRanges ranges,
            MoveCheck.Reconcile reconcile) {
        NodeIds.require(forNode);
        int n = engine.checkLimit(limit);
        Set<String> whole = new java.util.HashSet<>();
        Map<String, RowCondition> byRule = new java.util.LinkedHashMap<>();
        readable.forEach((t, cond) -> {
            if (cond.all()) {
                whole.add(t);
            } else {
                byRule.put(t, cond);
            }
        });
        if (db.pooled()) {
            // as pooledPull: the acknowledgement and the fold commit first, the page is read in one snapshot
            // (seqs become visible in order, so the snapshot's top holds every entry below it)
            FeedReader.Page page = pooledPull(
                    forNode,
                    since,
                    (c, top) -> rulePage(c, ranges, null, since, n, top, whole, byRule, watched, forNode));
            return page == null ? PullResult.resync(since) : reconciled(page, reconcile);
        }
        return db.transaction(c -> {
            refuseRetired(c, forNode);
            long[] horizonAndTop = horizonAndTop(c);
            if (since < horizonAndTop[0]) {
                return PullResult.resync(since);
            }
            PeerStore.pulledBy(c, forNode, since, engine.clock().instant());
            // a range other devices read at this feed position serves as it is (as a shared page does: local
            // writes not folded yet come with the next position); a range read here folds them in first
            long found = horizonAndTop[1];
            FeedRange held = ranges.find(since, n, found);
            if (held == null) {
                Dialects.of(db).capture().fold(c);
            }
            long position = held == null ? Feed.top(c) : found;
            FeedReader.Page page = rulePage(c, ranges, held, since, n, position, whole, byRule, watched, forNode);
            PullResult r = pullResult(page);
            return reconcile == null ? r : reconcile.answer(c, page, r);
        });
    }

    /**
     * The rule page of {@code forNode} read on {@code c} at feed position {@code position}: from {@code held}, the
     * range after {@code since} other devices read (null: the one {@code ranges} holds or reads now), and on
     * through the ranges that follow while the page is short ({@link RulePage#readOnward}).
     */
    private FeedReader.Page rulePage(
            Connection c,
            FeedRanges ranges,
            FeedRange held,
            long since,
            int n,
            long position,
            Set<String> whole,
            Map<String, RowCondition> byRule,
            Set<String> watched,
            String forNode)
            throws SQLException {
        RulePage.RangeAfter rangeAfter =
                after -> FeedRange.read(c, engine.schema(), after, n, position, whole, byRule.keySet(), watched);
        FeedRange first = held != null ? held : ranges.get(since, n, position, () -> rangeAfter.read(since));
        return new RulePage(Dialects.of(db), engine.schema()).readOnward(c, first, rangeAfter, n, byRule, forNode);
    }

    /** The purge horizon ({@link #behindPurge}) and the feed's highest seq, in one statement. */
    private static long[] horizonAndTop(Connection c) throws SQLException {
        try (var ps = c.prepareStatement(
                        "SELECT (SELECT CAST(value AS BIGINT) FROM _shuttle_meta WHERE key = 'purged_through'),"
                                + " (SELECT max(seq) FROM _shuttle_feed)");
                var rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)}; // a NULL reads as 0: no horizon, an empty feed
        }
    }

    /**
     * What a pull under sync rules reads besides its page (DESIGN §9, move-in and move-out): the tables
     * whose entries in the page's range matter whether the device may read them or not ({@code watched}:
     * the tables the rules' predicates read), the tables whose upserts the page leaves out matter
     * ({@code leftOutOf}), both read by the page's own statement ({@link FeedReader.Query#watching}); and
     * how those turn into the tables the device should reconcile.
     */
    public record MoveCheck(Set<String> watched, Set<String> leftOutOf, Reconcile reconcile) {
        /**
         * {@code answer} to {@code page}, naming the tables to reconcile after it and those rows may only have
         * moved into ({@link PullResult#movedIn}); {@code c} is the primary database, in a transaction.
         */
        @FunctionalInterface
        public interface Reconcile {
            PullResult answer(Connection c, FeedReader.Page page, PullResult answer) throws SQLException;
        }
    }

    /**
     * A pull on a database whose work runs on several connections at once (a pooled hub). What a pull
     * writes (the device's acknowledgement, after refusing a retired device or a cursor behind the purge)
     * and the fold of local writes waiting in the capture log (when there are some: only then is the fold's
     * lock taken, for that transaction alone) commit first; then the page is read in a read-only transaction
     * of one snapshot, the feed entries, the nodes they name and the rows they carry as of one moment. The
     * fold's lock, which orders the feed's writers, is not held while the page is read: pushes neither wait
     * for pulls nor pulls for pushes, and the feed's seqs still become visible in order (a writer holds the
     * lock until its commit is visible), so a snapshot holds a prefix of them. Both transactions run on one
     * connection, taken from the pool once.
     */
    private <T> T pooledPull(
            String forNode,
            long since,
            FeedReader.Query q,
            java.util.function.Function<FeedReader.Page, T> answer,
            T resync) {
        FeedReader.Page page = pooledPull(
                forNode, since, (c, top) -> new FeedReader(Dialects.of(db), engine.schema(), names).readFolded(c, q));
        return page == null ? resync : answer.apply(page);
    }

    /** {@link #pooledPull(String, long, FeedReader.Query, java.util.function.Function, Object)} of what {@code reader} reads; null: resync. */
    private <T> T pooledPull(String forNode, long since, PageReader<T> reader) {
        try (OneConnection one = OneConnection.of(db, PULL_POOL_WAITS)) {
            for (boolean folded = false; ; folded = true) {
                boolean fold = !folded;
                PulledPage<T> pulled = one.transaction(c -> {
                    PullCheck check = PullCheck.read(c, Dialects.of(db), forNode); // the snapshot's first statement
                    if (check.retiredAt() != null) {
                        throw retiredRefusal(forNode, check.retiredAt());
                    }
                    if (since < check.purgedThrough()) {
                        return new PulledPage<>(null, false);
                    }
                    if (check.logPending() && fold) {
                        return new PulledPage<>(null, true); // local writes committed before it: folded first
                    }
                    return new PulledPage<>(reader.read(c, check.feedTop()), false);
                });
                if (pulled.fold()) {
                    one.transaction(c -> {
                        Dialects.of(db).capture().foldForReading(c);
                        return null;
                    });
                    continue;
                }
                if (pulled.page() != null) {
                    engine.pullAcks().record(forNode, since, engine.clock().instant());
                }
                return pulled.page();
            }
        }
    }

    /** A pooled pull's page (null: the device must resync), or word that local writes wait to be folded first. */
    private record PulledPage<T>(T page, boolean fold) {}

    /**
     * How many times the pool's timeout a pull waits for a connection while all are busy
     * ({@code -Dshuttle.hub.pullPoolWaits}, default once, as every other request): a pull refused after one
     * wait comes back at the end of the queue, but one that waits longer holds its place ahead of pushes
     * (measured with a thousand devices: no pull refused, pushes answered about twice as late).
     */
    static final int PULL_POOL_WAITS = Math.max(1, Integer.getInteger("shuttle.hub.pullPoolWaits", 1));

    /** Reads a pull's page on a connection in a transaction whose snapshot's feed top is {@code feedTop}. */
    @FunctionalInterface
    private interface PageReader<T> {
        T read(Connection c, long feedTop) throws SQLException;
    }

    /**
     * The answer of {@code page}, with the tables to reconcile that {@code reconcile} (null: none) finds in a
     * transaction of its own on this hub's database (it notes what it read with).
     */
    private PullResult reconciled(FeedReader.Page page, MoveCheck.Reconcile reconcile) {
        PullResult r = pullResult(page);
        return reconcile == null ? r : db.transaction(c -> reconcile.answer(c, page, r));
    }

    /**
     * Checks the standing a device shows with a pull or push and hands out the ticket to answer with
     * ({@link Tickets}), refusing a copy ({@link ErrorCode#NODE_COPIED}) or telling of this hub's own
     * restore ({@link ErrorCode#HUB_RESTORED}); a retired device is refused first. The ticket is on disk
     * before the answer leaves: a hub that forgot it would take the device for a copy.
     */
    public Tickets.Admission admit(String node, Standing standing, boolean pull) {
        NodeIds.require(node);
        return db.durableTransaction(c -> {
            refuseRetired(c, node);
            return pull ? Tickets.pull(c, node, standing) : Tickets.push(c, node, standing);
        });
    }

    /**
     * A pull page for {@code forNode} cut from {@code tail}, the end of the feed that every device's pull
     * shares (no sync rules, or rules that read every table whole): the feed read once for many devices,
     * each change encoded once, the device's own changes left out as {@link #servePull(String, long, int)}
     * leaves them; acknowledges {@code since} for {@code forNode}. Null: the device must resync.
     */
    public FeedTail.Answer servePullShared(String forNode, long since, int limit, FeedTail tail) {
        NodeIds.require(forNode);
        int n = engine.checkLimit(limit);
        long version = engine.announcedSchemaVersion();
        if (db.pooled()) {
            return pooledPull(
                    forNode,
                    since,
                    (c, top) -> tail.page(
                            new FeedReader(Dialects.of(db), engine.schema(), names),
                            c,
                            since,
                            n,
                            version,
                            forNode,
                            top));
        }
        return db.transaction(c -> {
            refuseRetired(c, forNode);
            if (behindPurge(c, since)) {
                return null;
            }
            PeerStore.pulledBy(c, forNode, since, engine.clock().instant());
            Dialects.of(db).capture().fold(c);
            return tail.page(new FeedReader(Dialects.of(db), engine.schema()), c, since, n, version, forNode);
        });
    }

    /** What a pull does besides reading: refuses a retired device, and acknowledges {@code since} for it. */
    public void acknowledgePull(String forNode, long since) {
        NodeIds.require(forNode);
        db.transaction(c -> {
            refuseRetired(c, forNode);
            PeerStore.pulledBy(c, forNode, since, engine.clock().instant());
            return null;
        });
    }

    /**
     * {@link #servePull(String, long, int, String, List)} reading the feed from {@code replica}, a hot
     * standby of this hub's database: the device's acknowledgement (and the retired check) go to this
     * hub's database, the page is read from the standby as far as it has replayed. Feed seqs become
     * visible in commit order on the standby as on the primary, so a lagging standby serves a shorter
     * page, never one with a gap.
     */
    public PullResult servePull(
            ShuttleDatabase replica, String forNode, long since, int limit, String condition, List<Object> args) {
        return servePull(replica, forNode, since, limit, condition, args, null);
    }

    /**
     * {@link #servePull(ShuttleDatabase, String, long, int, String, List)} with {@code moves} as in
     * {@link #servePull(String, long, int, String, List, MoveCheck)}: the page and what it saw
     * are read from the standby, the tables to reconcile found on this hub's database.
     */
    public PullResult servePull(
            ShuttleDatabase replica,
            String forNode,
            long since,
            int limit,
            String condition,
            List<Object> args,
            MoveCheck moves) {
        int n = engine.checkLimit(limit);
        acknowledgePull(forNode, since);
        FeedReader.Page page = replica.transaction(c -> {
            if (behindPurge(c, since)) {
                return null;
            }
            FeedReader.Query q =
                    FeedReader.Query.after(since, n).excludingPeer(forNode).where(condition, args);
            if (moves != null) {
                q = q.watching(moves.watched(), moves.leftOutOf());
            }
            return new FeedReader(Dialects.of(replica), engine.schema()).readFolded(c, q);
        });
        return page == null ? PullResult.resync(since) : reconciled(page, moves == null ? null : moves.reconcile());
    }

    /** {@link #serveSnapshot(String, long, int, Set, String, List)} read from {@code replica}, a hot standby. */
    public PullResult serveSnapshot(
            ShuttleDatabase replica,
            String forNode,
            long after,
            int limit,
            Set<String> tables,
            String condition,
            List<Object> args) {
        NodeIds.require(forNode);
        int n = engine.checkLimit(limit);
        String where = tableFilter(tables, condition);
        return replica.transaction(c -> pullResult(new FeedReader(Dialects.of(replica), engine.schema())
                .readFolded(c, FeedReader.Query.after(after, n).where(where, args))));
    }

    /** The feed position {@code replica} has replayed. */
    public long feedPosition(ShuttleDatabase replica) {
        return replica.read(Feed::top);
    }

    /** The full state (rows and tombstones, whoever wrote them) after {@code after}, for bootstrap and resync. */
    public PullResult serveSnapshot(String forNode, long after, int limit) {
        return serveSnapshot(forNode, after, limit, null, List.of());
    }

    /** {@link #serveSnapshot(String, long, int)} keeping only the feed entries that satisfy {@code condition}. */
    public PullResult serveSnapshot(String forNode, long after, int limit, String condition, List<Object> args) {
        return serveSnapshot(forNode, after, limit, null, condition, args);
    }

    /**
     * {@link #serveSnapshot(String, long, int, String, List)} of {@code tables} only (null: every
     * table), for a device reconciling them.
     */
    public PullResult serveSnapshot(
            String forNode, long after, int limit, Set<String> tables, String condition, List<Object> args) {
        NodeIds.require(forNode);
        int n = engine.checkLimit(limit);
        String filter = tableFilter(tables, condition);
        return db.transaction(c -> {
            FeedReader.Page page = new FeedReader(Dialects.of(db), engine.schema())
                    .read(c, FeedReader.Query.after(after, n).where(filter, args));
            PullResult r = pullResult(page);
            return page.more() ? r : withHeldFrom(c, forNode, tables, r);
        });
    }

    /**
     * The snapshot's last page with the changes {@code forNode} sent that this hub holds waiting for a
     * parent row: they are not in its feed yet, but they are acknowledged, and a device resyncing removes
     * what it pushed that the snapshot does not carry. They come back to their sender only (a duplicate
     * there), never to another device before they are applied here.
     */
    private static PullResult withHeldFrom(Connection c, String forNode, Set<String> tables, PullResult last)
            throws SQLException {
        List<Change> held = PendingStore.all(c).stream()
                .filter(p -> forNode.equals(p.via()))
                .map(PendingStore.Pending::change)
                .filter(ch -> tables == null || tables.contains(ch.table()))
                .toList();
        if (held.isEmpty()) {
            return last;
        }
        List<Change> all = new ArrayList<>(last.changes());
        all.addAll(held);
        return new PullResult(
                all,
                last.next(),
                false,
                last.resyncRequired(),
                last.reconcile(),
                last.ticket(),
                last.schemaVersion(),
                last.movedIn());
    }

    /** {@code condition} restricted to the feed entries of {@code tables} (null: every table). */
    private String tableFilter(Set<String> tables, String condition) {
        if (tables == null) {
            return condition;
        }
        String ids = tables.stream()
                .map(t -> String.valueOf(engine.schema().require(t).id()))
                .collect(Collectors.joining(", "));
        return "f.tbl IN (" + ids + ")" + (condition == null ? "" : " AND (" + condition + ")");
    }

    /**
     * The {@link KeyDigest} of the keys of {@code table}'s rows that satisfy {@code where} (SQL over the
     * table's columns, with its arguments; null for every row).
     */
    public KeyDigest rowDigest(String table, String where, List<Object> args) {
        SyncedTable t = engine.schema().require(table);
        return db.read(c -> KeyDigests.of(c, Dialects.of(db), t, where, args));
    }

    private PullResult pullResult(FeedReader.Page page) {
        return new PullResult(
                page.entries().stream().map(FeedEntry::change).toList(),
                page.lastSeq(),
                page.more(),
                false,
                List.of(),
                0,
                engine.announcedSchemaVersion());
    }

    /**
     * Forgets tombstones every known peer has acknowledged; a peer asking from before them is
     * told to resync. Returns how many were purged.
     */
    public int purgeTombstones() {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            engine.pullAcks().write(c);
            List<PeerCursor> peers = PeerStore.all(c);
            if (peers.isEmpty()) {
                return 0;
            }
            long horizon = peers.stream().mapToLong(PeerCursor::acked).min().orElse(0);
            int purged = Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE op = 2 AND seq <= ?", horizon);
            if (purged > 0) {
                MetaKeys.put(c, "purged_through", String.valueOf(horizon));
            }
            List<Integer> imaged = OldRows.held(c); // the old-row images of tombstones gone (sync rules)
            for (SyncedTable t : engine.schema().tables()) {
                if (imaged.contains(t.id())) {
                    OldRows.forgetStale(c, t);
                }
            }
            return purged;
        });
    }

    /**
     * Retires the devices not heard from for {@code silence} (their last pull); returns them. They must
     * clone again (their unpushed writes travel by bundle), and they no longer hold back the purge.
     */
    public List<String> retireSilentPeers(java.time.Duration silence) {
        java.time.Instant now = engine.clock().instant();
        return db.transaction(c -> {
            engine.pullAcks().write(c);
            List<String> silent = PeerStore.silentSince(c, now.minus(silence), now);
            for (String peer : silent) {
                PeerStore.retire(c, peer, now.toEpochMilli());
            }
            return silent;
        });
    }

    /** Whether a cursor is behind the purge horizon: tombstones it has not seen are gone, it must resync. */
    private static boolean behindPurge(Connection c, long since) throws SQLException {
        long horizon = MetaKeys.getLong(c, "purged_through").orElse(0L);
        return since < horizon;
    }

    /** A retired device among {@code nodes} is refused (one query for them all). */
    private static void refuseRetired(Connection c, List<String> nodes) throws SQLException {
        var retired = PeerStore.retiredAmong(c, nodes);
        if (!retired.isEmpty()) {
            refuseRetired(c, retired.iterator().next());
        }
    }

    /** A retired device is refused: it must be cloned again. */
    private static void refuseRetired(Connection c, String node) throws SQLException {
        var at = PeerStore.retiredAt(c, node);
        if (at.isPresent()) {
            throw retiredRefusal(node, at.get());
        }
    }

    private static ShuttleException retiredRefusal(String node, long atMillis) {
        return new ShuttleException(
                ErrorCode.FORBIDDEN,
                "device " + node + " was retired from this hub at " + Instant.ofEpochMilli(atMillis)
                        + ": clone a new device (carry its unpushed writes over with shuttle bundle export/import)");
    }
}
