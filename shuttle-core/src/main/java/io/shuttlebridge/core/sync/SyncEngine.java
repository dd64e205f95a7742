package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.feed.EntryBase;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.sync.PeerStore;
import io.shuttlebridge.core.internal.sync.SettlementWriter;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.ConflictStore;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import io.shuttlebridge.core.internal.sync.apply.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sync for one database. As a device it pulls then pushes through a {@link Transport}; as a hub it
 * accepts pushes and serves pulls and snapshots for its devices. Any engine can be both (tiers).
 *
 * <p>Cursors advance in the same transaction that durably applied what they cover, so any
 * interruption is retried with nothing lost, and re-delivered batches count as duplicates.
 */
public final class SyncEngine implements AutoCloseable {
    /**
     * Changes per pulled or pushed page unless set: large pages make few round trips and
     * transactions; over HTTP a push page goes in as many requests as the hub's limits ask for.
     */
    public static final int DEFAULT_PAGE = 10_000;

    public static final int DEFAULT_MAX_BATCH = 10_000;

    private final ShuttleDatabase db;
    private final SyncSchema schema;
    private final Map<String, ConflictResolver> resolvers;
    private final int pageSize;
    private final int maxBatch;
    private final ApplyListener listener;

    /** Called inside the apply transaction after each change is written; throwing rolls the whole batch back. */
    @FunctionalInterface
    public interface ApplyListener {
        ApplyListener NONE = change -> {};

        void applied(Change change);
    }

    private SyncEngine(Builder b) {
        this.db = b.db;
        this.schema = db.read(c -> SyncSchema.load(c, db.dialect()));
        this.resolvers = Map.copyOf(b.resolvers);
        this.pageSize = b.pageSize;
        this.maxBatch = b.maxBatch;
        this.listener = b.listener;
    }

    public static SyncEngine open(ShuttleDatabase db) {
        return builder(db).build();
    }

    public static Builder builder(ShuttleDatabase db) {
        return new Builder(db);
    }

    public String nodeUuid() {
        return schema.nodeUuid();
    }

    public SyncSchema schema() {
        return schema;
    }

    public ShuttleDatabase database() {
        return db;
    }

    // ---------------------------------------------------------------- hub side

    /** The highest seq in this database's feed, local writes made since the last read included. */
    public long feedPosition() {
        return db.transaction(c -> {
            db.dialect().capture().fold(c);
            return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
        });
    }

    /** Applies a pushed batch atomically and idempotently. */
    public PushResult acceptPush(String fromNode, List<Change> changes) {
        requireNode(fromNode);
        return db.transaction(c -> {
            Applier.Outcome o = applier().apply(c, changes, fromNode, Role.HUB);
            long hubSeq =
                    Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
            return new PushResult(
                    o.applied(), o.duplicates(), o.superseded(), o.pending(), o.conflicts(), hubSeq, o.rejected());
        });
    }

    /** Changes after {@code since} for a device, leaving out what it wrote or sent (write watermarking). */
    public PullResult servePull(String forNode, long since, int limit) {
        requireNode(forNode);
        int n = checkLimit(limit);
        return db.transaction(c -> {
            long horizon = Jdbc.queryLong(
                            c, "SELECT CAST(value AS BIGINT) FROM _shuttle_meta WHERE key = 'purged_through'")
                    .orElse(0L);
            if (since < horizon) {
                return PullResult.resync(since);
            }
            PeerStore.acknowledge(c, forNode, since);
            FeedReader.Page page = new FeedReader(db.dialect(), schema)
                    .read(c, FeedReader.Query.after(since, n).excludingPeer(forNode));
            return new PullResult(
                    page.entries().stream().map(FeedEntry::change).toList(), page.lastSeq(), page.more(), false);
        });
    }

    /** The full state (rows and tombstones, whoever wrote them) after {@code after}, for bootstrap and resync. */
    public PullResult serveSnapshot(String forNode, long after, int limit) {
        requireNode(forNode);
        int n = checkLimit(limit);
        return db.transaction(c -> {
            FeedReader.Page page = new FeedReader(db.dialect(), schema).read(c, FeedReader.Query.after(after, n));
            return new PullResult(
                    page.entries().stream().map(FeedEntry::change).toList(), page.lastSeq(), page.more(), false);
        });
    }

    /**
     * Forgets tombstones every known peer has acknowledged; a peer asking from before them is
     * told to resync. Returns how many were purged.
     */
    public int purgeTombstones() {
        return db.transaction(c -> {
            db.dialect().capture().fold(c);
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

    // ---------------------------------------------------------------- device side

    /** Pulls every page from the hub, then pushes every local change it has not acknowledged. */
    public SyncReport pullThenPush(Transport hub, String hubNode) {
        requireNode(hubNode);
        Counts k = new Counts();
        boolean resynced = pull(hub, hubNode, k);
        push(hub, hubNode, k);
        db.transaction(c -> {
            PeerStore.outcome(
                    c, hubNode, "ok: pulled " + k.pulled + ", pushed " + k.pushed + ", conflicts " + k.conflicts);
            return null;
        });
        PeerCursor cur = cursor(hubNode);
        return new SyncReport(
                k.pulled,
                k.applied,
                k.duplicates,
                k.superseded,
                k.pending,
                k.conflicts,
                k.pushed,
                k.pushDuplicates,
                resynced,
                cur.lastPulled(),
                cur.lastPushed());
    }

    private boolean pull(Transport hub, String hubNode, Counts k) {
        boolean resynced = false;
        boolean snapshot = false;
        long since = cursor(hubNode).lastPulled();
        while (true) {
            PullResult page =
                    snapshot ? hub.snapshot(nodeUuid(), since, pageSize) : hub.pull(nodeUuid(), since, pageSize);
            if (page.resyncRequired()) {
                snapshot = true;
                resynced = true;
                since = 0;
                continue;
            }
            final long next = page.next();
            db.transaction(c -> {
                Applier.Outcome o = applier().apply(c, page.changes(), hubNode, Role.DEVICE);
                PeerStore.setPulled(c, hubNode, next);
                k.add(o);
                return null;
            });
            k.pulled += page.changes().size();
            since = next;
            if (!page.more()) {
                return resynced;
            }
        }
    }

    /**
     * Pushes pages of local changes in order. The next page is read and its request prepared while
     * the hub applies the current one, and each page's acknowledgement is recorded while the next is
     * sent, on one thread of this database's own: the hub's apply is the only wait. Recent local
     * writes are folded into the feed once, before the first page.
     */
    private void push(Transport hub, String hubNode, Counts k) {
        ExecutorService local = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "shuttle-push-" + hubNode.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
        Future<?> acked = null;
        Throwable failure = null;
        try {
            long after = cursor(hubNode).lastPushed();
            Outgoing out = outgoing(hub, db.transaction(c -> pushPage(c, hubNode, after, true)));
            while (true) {
                final FeedReader.Page page = out.page();
                Future<Outgoing> next = page.more()
                        ? local.submit(() ->
                                outgoing(hub, db.transaction(c -> pushPage(c, hubNode, page.lastSeq(), false))))
                        : null;
                List<Long> rejectedSeqs = new ArrayList<>();
                if (out.request() != null) {
                    PushResult r;
                    try {
                        r = out.request().send();
                    } catch (RuntimeException e) {
                        if (next != null) {
                            next.cancel(false);
                        }
                        throw e;
                    }
                    k.pushed += r.applied();
                    k.pushDuplicates += r.duplicates();
                    k.conflicts += r.conflicts().size();
                    if (!r.rejected().isEmpty()) {
                        Set<Stamp> refused = new HashSet<>(r.rejected());
                        for (FeedEntry e : page.entries()) {
                            if (refused.contains(e.change().stamp())) {
                                rejectedSeqs.add(e.seq());
                            }
                        }
                    }
                }
                final long through = page.lastSeq();
                acked = local.submit(() -> db.transaction(c -> acknowledge(c, hubNode, through, rejectedSeqs)));
                if (next == null) {
                    await(acked);
                    return;
                }
                out = await(next);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                if (acked != null && !acked.isDone()) {
                    await(acked); // what the hub took is recorded even when a later page failed
                }
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            } finally {
                local.shutdown();
            }
        }
    }

    /** A page of local changes and its push, ready to send (none for an empty page). */
    private record Outgoing(FeedReader.Page page, Transport.PreparedPush request) {}

    private Outgoing outgoing(Transport hub, FeedReader.Page page) {
        return new Outgoing(
                page,
                page.entries().isEmpty()
                        ? null
                        : hub.preparePush(
                                nodeUuid(),
                                page.entries().stream().map(FeedEntry::change).toList()));
    }

    private FeedReader.Page pushPage(Connection c, String hubNode, long after, boolean fold) throws SQLException {
        FeedReader reader = new FeedReader(db.dialect(), schema);
        FeedReader.Query q = FeedReader.Query.after(after, pageSize).excludingPeer(hubNode);
        return fold ? reader.read(c, q) : reader.readFolded(c, q);
    }

    /** The hub applied the page: the cursor moves past it, and what the hub took is the base of our next write to those rows. */
    private Void acknowledge(Connection c, String hubNode, long through, List<Long> rejectedSeqs) throws SQLException {
        EntryBase.refused(c, rejectedSeqs); // what the hub refused is not a base
        PeerStore.setPushed(c, hubNode, through);
        return null;
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuttleException(ErrorCode.INTERNAL, "interrupted while pushing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new ShuttleException(ErrorCode.INTERNAL, "pushing failed", e.getCause());
        }
    }

    public PeerCursor cursor(String peer) {
        return db.read(c -> PeerStore.get(c, peer));
    }

    public List<PeerCursor> peers() {
        return db.read(PeerStore::all);
    }

    /** Changes made here not yet pushed to the given peer (every local change when {@code peer} is null). */
    public long pendingChanges(String peer) {
        return db.transaction(c -> {
            db.dialect().capture().fold(c);
            long after = peer == null ? 0 : PeerStore.get(c, peer).lastPushed();
            return Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_feed WHERE seq > ? AND via IS NULL", after)
                    .orElse(0L);
        });
    }

    /** Received changes waiting for a parent row that has not arrived. */
    public long waitingChanges() {
        return db.read(PendingStore::count);
    }

    // ---------------------------------------------------------------- conflicts

    public List<ConflictRecord> conflicts(boolean openOnly) {
        return db.read(c -> ConflictStore.list(c, openOnly));
    }

    /** How to settle a conflict. */
    public sealed interface Settlement permits TakeLocal, TakeRemote, Values {}

    public record TakeLocal() implements Settlement {}

    public record TakeRemote() implements Settlement {}

    public record Values(Map<String, Object> values) implements Settlement {}

    /**
     * Settles a conflict by writing the chosen row as an ordinary local write (captured, so it
     * syncs to every replica like any other write) and marks the record resolved.
     */
    public ConflictRecord resolve(long conflictId, Settlement settlement) {
        return db.transaction(c -> {
            ConflictRecord rec = ConflictStore.get(c, conflictId);
            if (rec == null) {
                throw new ShuttleException(ErrorCode.NOT_FOUND, "no conflict with id " + conflictId);
            }
            if (!rec.open()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "conflict " + conflictId + " is already " + rec.status() + " (" + rec.resolution() + ")");
            }
            Map<String, Object> chosen = switch (settlement) {
                case TakeLocal x -> rec.localValues();
                case TakeRemote x -> rec.remoteValues();
                case Values v -> v.values();
            };
            SettlementWriter.write(c, db.dialect(), schema.require(rec.table()), rec.key(), chosen);
            String how = switch (settlement) {
                case TakeLocal x -> "took local";
                case TakeRemote x -> "took remote";
                case Values v -> "given values";
            };
            ConflictStore.resolve(c, conflictId, how);
            return ConflictStore.get(c, conflictId);
        });
    }

    // ---------------------------------------------------------------- plumbing

    private Applier applier() {
        return new Applier(db.dialect(), schema, resolvers, maxBatch, listener::applied);
    }

    /** An applier with this engine's settings, for transfers that are not a Transport (bundles). Internal API. */
    public Applier newApplier() {
        return new Applier(db.dialect(), schema, resolvers, Integer.MAX_VALUE, listener::applied);
    }

    private int checkLimit(int limit) {
        if (limit <= 0 || limit > maxBatch) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "limit must be between 1 and " + maxBatch + ", got " + limit);
        }
        return limit;
    }

    private static void requireNode(String node) {
        try {
            UUID.fromString(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "node must be a UUID, got '" + node + "'");
        }
    }

    @Override
    public void close() {
        // the database handle belongs to the caller
    }

    @Override
    public String toString() {
        return "SyncEngine[" + nodeUuid() + " on " + Identifiers.redactUrl(db.displayUrl()) + "]";
    }

    private static final class Counts {
        int pulled;
        int applied;
        int duplicates;
        int superseded;
        int pending;
        int conflicts;
        int pushed;
        int pushDuplicates;

        void add(Applier.Outcome o) {
            applied += o.applied();
            duplicates += o.duplicates();
            superseded += o.superseded();
            pending = o.pending();
            conflicts += o.conflicts().size();
        }
    }

    /** Validated settings; {@link #build} opens the engine. */
    public static final class Builder {
        private final ShuttleDatabase db;
        private final Map<String, ConflictResolver> resolvers = new HashMap<>();
        private int pageSize = DEFAULT_PAGE;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private ApplyListener listener = ApplyListener.NONE;

        private Builder(ShuttleDatabase db) {
            this.db = db;
        }

        public Builder resolver(String table, ConflictResolver resolver) {
            if (resolvers.putIfAbsent(table, resolver) != null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "a resolver for table \"" + table + "\" was already set");
            }
            return this;
        }

        /** Observes every applied change (metrics, tests that inject a crash mid-apply). */
        public Builder applyListener(ApplyListener l) {
            listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        public Builder pageSize(int n) {
            if (n <= 0) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "page size must be positive, got " + n);
            }
            pageSize = n;
            return this;
        }

        public Builder maxBatch(int n) {
            if (n <= 0) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "max batch must be positive, got " + n);
            }
            maxBatch = n;
            return this;
        }

        public SyncEngine build() {
            if (pageSize > maxBatch) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "page size " + pageSize + " exceeds max batch " + maxBatch);
            }
            return new SyncEngine(this);
        }
    }
}
