package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.DurationText;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.sync.apply.Applier;
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

    public HubSide(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
    }

    /** The highest seq in this database's feed, local writes made since the last read included. */
    public long feedPosition() {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
        });
    }

    /**
     * Applies a pushed batch atomically and idempotently; a change stamped further ahead of this hub's
     * clock than its skew bound is applied under a stamp of this hub's, listed in the answer. A batch
     * whose values the hub's tables refuse (a value of the wrong type or out of range, a NOT NULL or
     * CHECK constraint) is refused whole as {@link ErrorCode#MALFORMED_PAYLOAD}: it is the sender's to
     * fix, and nothing was applied.
     */
    public PushResult acceptPush(String fromNode, List<Change> changes) {
        return acceptPush(fromNode, changes, WriteGuard.NONE);
    }

    /** Applies a pushed batch atomically and idempotently, leaving out the changes {@code guard} refuses. */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard) {
        NodeIds.require(fromNode);
        PushResult r = apply(fromNode, changes, guard);
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

    /**
     * {@link #acceptPush(String, List, WriteGuard)} from a device showing where it stands (null: one that
     * shows nothing): its ticket is checked and the answer carries the next ({@link Tickets}).
     */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard, Standing standing) {
        NodeIds.require(fromNode);
        long ticket = standing == null
                ? 0
                : db.durableTransaction(c -> {
                    refuseRetired(c, fromNode);
                    return Tickets.push(c, fromNode, standing).ticket();
                });
        return acceptPush(fromNode, changes, guard).withTicket(ticket);
    }

    private PushResult apply(String fromNode, List<Change> changes, WriteGuard guard) {
        Map<Integer, String> refused = new TreeMap<>();
        try {
            while (true) {
                try {
                    return db.durableTransaction(c -> applyGuarded(c, fromNode, changes, guard, refused));
                } catch (RefusedAfterApply again) {
                    // the transaction rolled back: apply the batch once more without what the rules refused
                }
            }
        } catch (DatabaseException e) {
            if (e.failure() != DatabaseException.Failure.INVALID_VALUE
                    && e.failure() != DatabaseException.Failure.CONSTRAINT_VIOLATION) {
                throw e;
            }
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD,
                    "the batch does not fit the hub's tables, nothing was applied: " + reason,
                    e);
        }
    }

    /** Changes after {@code since} for a device, leaving out what it wrote or sent (write watermarking). */
    private PushResult applyGuarded(
            Connection c, String fromNode, List<Change> changes, WriteGuard guard, Map<Integer, String> refused)
            throws SQLException {
        refuseRetired(c, fromNode);
        refused.putAll(guard.before(c, changes));
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (!refused.containsKey(i)) {
                kept.add(i);
            }
        }
        List<Change> batch = kept.stream().map(changes::get).toList();
        Applier.Outcome o = engine.applier().apply(c, batch, fromNode, Role.HUB);
        Map<Integer, String> late = guard.after(c, batch);
        if (!late.isEmpty()) {
            late.forEach((i, why) -> refused.put(kept.get(i), why));
            throw new RefusedAfterApply();
        }
        long hubSeq = Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
        List<Stamp> notTaken = new ArrayList<>(o.rejected());
        List<PushResult.Refusal> refusals = new ArrayList<>();
        for (var e : refused.entrySet()) {
            Change ch = changes.get(e.getKey());
            notTaken.add(ch.stamp());
            Change hubRow = CurrentRow.of(c, Dialects.of(db), engine.schema(), ch.table(), ch.key());
            refusals.add(new PushResult.Refusal(e.getKey(), ch.stamp(), ErrorCode.FORBIDDEN, e.getValue(), hubRow));
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
     * {@link #servePull(String, long, int, String, List)} for a device showing where it stands (null: one
     * that shows nothing): its ticket is checked and the answer carries the next ({@link Tickets}); a
     * device restored from a backup gets its own changes too.
     */
    public PullResult servePull(
            String forNode, long since, int limit, String condition, List<Object> args, Standing standing) {
        NodeIds.require(forNode);
        int n = checkLimit(limit);
        ShuttleDatabase.SqlWork<PullResult> serve = c -> {
            refuseRetired(c, forNode);
            Tickets.Admission admitted = standing == null ? null : Tickets.pull(c, forNode, standing);
            long ticket = admitted == null ? 0 : admitted.ticket();
            long horizon = Jdbc.queryLong(
                            c, "SELECT CAST(value AS BIGINT) FROM _shuttle_meta WHERE key = 'purged_through'")
                    .orElse(0L);
            if (since < horizon) {
                return PullResult.resync(since).withTicket(ticket);
            }
            PeerStore.acknowledge(c, forNode, since);
            FeedReader.Query q = FeedReader.Query.after(since, n).where(condition, args);
            if (admitted == null || !admitted.ownChanges()) {
                q = q.excludingPeer(forNode);
            }
            FeedReader.Page page = new FeedReader(Dialects.of(db), engine.schema()).read(c, q);
            return pullResult(page).withTicket(ticket);
        };
        // the ticket handed out must outlive a power loss: a hub that forgot it would take the device for a copy
        return standing == null ? db.transaction(serve) : db.durableTransaction(serve);
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
        int n = checkLimit(limit);
        String where = condition;
        if (tables != null) {
            String ids = tables.stream()
                    .map(t -> String.valueOf(engine.schema().require(t).id()))
                    .collect(Collectors.joining(", "));
            where = "f.tbl IN (" + ids + ")" + (condition == null ? "" : " AND (" + condition + ")");
        }
        String filter = where;
        return db.transaction(c -> pullResult(new FeedReader(Dialects.of(db), engine.schema())
                .read(c, FeedReader.Query.after(after, n).where(filter, args))));
    }

    /**
     * The {@link KeyDigest} of the keys of {@code table}'s rows that satisfy {@code where} (SQL over the
     * table's columns, with its arguments; null for every row).
     */
    public KeyDigest rowDigest(String table, String where, List<Object> args) {
        SyncedTable t = engine.schema().require(table);
        return db.read(c -> KeyDigests.of(c, Dialects.of(db), t, where, args));
    }

    private static PullResult pullResult(FeedReader.Page page) {
        return new PullResult(
                page.entries().stream().map(FeedEntry::change).toList(), page.lastSeq(), page.more(), false);
    }

    /**
     * Forgets tombstones every known peer has acknowledged; a peer asking from before them is
     * told to resync. Returns how many were purged.
     */
    public int purgeTombstones() {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            List<PeerCursor> peers = PeerStore.all(c);
            if (peers.isEmpty()) {
                return 0;
            }
            long horizon = peers.stream().mapToLong(PeerCursor::acked).min().orElse(0);
            int purged = Jdbc.update(c, "DELETE FROM _shuttle_feed WHERE op = 2 AND seq <= ?", horizon);
            if (purged > 0) {
                Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = 'purged_through'");
                Jdbc.update(
                        c,
                        "INSERT INTO _shuttle_meta (key, value) VALUES ('purged_through', ?)",
                        String.valueOf(horizon));
            }
            return purged;
        });
    }

    /** A retired device is refused: it must be cloned again. */
    private static void refuseRetired(Connection c, String node) throws SQLException {
        var at = PeerStore.retiredAt(c, node);
        if (at.isPresent()) {
            throw new ShuttleException(
                    ErrorCode.FORBIDDEN,
                    "device " + node + " was retired from this hub at " + Instant.ofEpochMilli(at.get())
                            + ": clone a new device (carry its unpushed writes over with shuttle bundle export/import)");
        }
    }

    private int checkLimit(int limit) {
        if (limit <= 0 || limit > engine.maxBatch()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "limit must be between 1 and " + engine.maxBatch() + ", got " + limit);
        }
        return limit;
    }
}
