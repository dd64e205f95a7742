package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.HlcClock;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.CatalogStamp;
import io.shuttlebridge.core.internal.capture.SchemaEvolution;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.format.FormatUpgrade;
import io.shuttlebridge.core.internal.sync.Conflicts;
import io.shuttlebridge.core.internal.sync.DeviceRetention;
import io.shuttlebridge.core.internal.sync.DeviceSync;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.EngineContext;
import io.shuttlebridge.core.internal.sync.HubMove;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.internal.sync.NodeIds;
import io.shuttlebridge.core.internal.sync.PeerStore;
import io.shuttlebridge.core.internal.sync.Puller;
import io.shuttlebridge.core.internal.sync.PushPipeline;
import io.shuttlebridge.core.internal.sync.PushTimes;
import io.shuttlebridge.core.internal.sync.RejectedWrites;
import io.shuttlebridge.core.internal.sync.SyncTally;
import io.shuttlebridge.core.internal.sync.Tickets;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sync for one database. As a device it pulls then pushes through a {@link Transport}; as a hub it
 * accepts pushes and serves pulls and snapshots for its devices. Any engine can be both (tiers).
 *
 * <p>Cursors advance in the same transaction that durably applied what they cover, so any
 * interruption is retried with nothing lost, and re-delivered batches count as duplicates.
 *
 * <p>The engine holds no resources of its own: the database handle belongs to the caller.
 *
 * <p><b>Time.</b> Everything the engine does reads the time from the one {@link MillisClock} of its
 * builder ({@link Builder#clock}, the system clock by default): the stamps of the writes it makes
 * while applying (merges, cascaded deletes) come from a {@link HlcClock} over it, which observes every
 * stamp the engine receives and the database's clock position; the times its conflict, pending and
 * peer records and bundles carry come from it too. Captured local writes are stamped by the
 * database's own clock, as its triggers run; when the engine applies, the database's clock position
 * moves at least to the engine's clock, so that later local writes are stamped after what the engine
 * did.
 *
 * <p><b>Clock skew.</b> As a hub, the engine takes a pushed change stamped more than its {@linkplain
 * Builder#maxClockSkew skew bound} ahead of its clock under a stamp of its own clock instead (same row,
 * values and origin), so that a device whose clock runs ahead cannot win over every later write of the
 * row; the push's answer lists it ({@link PushResult#restamped()}) and the device adopts the hub's stamp
 * for the row. Stamps within the bound are taken as they are.
 */
public final class SyncEngine {
    /**
     * Changes per pulled or pushed page unless set: large pages make few round trips and
     * transactions; over HTTP a push page goes in as many requests as the hub's limits ask for.
     */
    public static final int DEFAULT_PAGE = 10_000;

    public static final int DEFAULT_MAX_BATCH = 10_000;

    /**
     * How long a device keeps acknowledged tombstones and the records of what ended, unless set: 30 days
     * ({@link Builder#keepHistory}), as {@code shuttle serve --keep-history} on a hub.
     */
    public static final Duration DEFAULT_KEEP_HISTORY = Duration.ofDays(30);

    /** How far ahead of a hub's clock a pushed stamp may be before the hub re-stamps it, unless set: 5 minutes. */
    public static final Duration DEFAULT_MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    static {
        EngineAccess.install(engine -> engine.context);
    }

    private final EngineContext context;
    private final ShuttleDatabase db;
    private final HubSide hub;
    private final Puller puller;
    private final PushPipeline pusher;
    private final DeviceSync device;
    private final Conflicts conflicts;
    private final Duration keepHistory;

    /** Called inside the apply transaction after each change is written; throwing rolls the whole batch back. */
    @FunctionalInterface
    public interface ApplyListener {
        ApplyListener NONE = change -> {};

        void applied(Change change);
    }

    private SyncEngine(Builder b) {
        this.db = b.db;
        FormatUpgrade.open(db);
        SyncSchema schema = db.read(c -> SyncSchema.load(c, Dialects.of(db)));
        this.context = new EngineContext(
                db,
                new java.util.concurrent.atomic.AtomicReference<>(schema),
                b.resolvers,
                b.pageSize,
                b.maxBatch,
                b.listener::applied,
                b.clock,
                new HlcClock(b.clock, b.maxClockSkew),
                new PushTimes(),
                new io.shuttlebridge.core.internal.sync.PullAcks(db),
                new java.util.concurrent.atomic.AtomicLong());
        this.hub = new HubSide(context);
        this.puller = new Puller(context, transport -> transport.followSchema(this));
        this.pusher = new PushPipeline(context);
        this.device = new DeviceSync(context, puller, pusher);
        this.conflicts = new Conflicts(context);
        this.keepHistory = b.keepHistory;
    }

    /**
     * The engine of a database where sync is enabled, with the default settings. Opening an engine
     * upgrades the database's Shuttle tables in one transaction when an earlier release wrote them,
     * and refuses tables of a newer release ({@link io.shuttlebridge.core.ErrorCode#UNSUPPORTED_FORMAT});
     * tables of this release cost one lookup.
     */
    public static SyncEngine open(ShuttleDatabase db) {
        return builder(db).build();
    }

    public static Builder builder(ShuttleDatabase db) {
        return new Builder(db);
    }

    public String nodeUuid() {
        return context.nodeUuid();
    }

    public ShuttleDatabase database() {
        return db;
    }

    /** The engine's source of time ({@link Builder#clock}). */
    public MillisClock clock() {
        return context.clock();
    }

    /** How far ahead of this engine's clock a pushed stamp may be before it is re-stamped ({@link Builder#maxClockSkew}). */
    public Duration maxClockSkew() {
        return context.hlc().maxSkew();
    }

    /**
     * This device's writes its hub refused to store (kind {@code rejected}): open ones, or all with
     * the dismissed.
     */
    public List<RejectedWrite> rejectedWrites(boolean openOnly) {
        return context.db().read(c -> RejectedWrites.list(c, Dialects.of(context.db()), openOnly));
    }

    /** Marks a rejected write as seen and settled by hand. */
    public RejectedWrite dismissRejected(long id) {
        return context.db().transaction(c -> RejectedWrites.dismiss(c, Dialects.of(context.db()), id));
    }

    /**
     * Queues a rejected write again (once its hub was changed to take it, say): its row is written
     * again as a new local write, with the values the hub refused (a delete deletes the row again), and
     * pushed on the next sync; the rejected write is marked {@code retried}. Should the hub refuse it
     * again, that is a new rejected write.
     */
    public RejectedWrite retryRejected(long id) {
        return context.db().transaction(c -> RejectedWrites.retry(c, context, id));
    }

    // ---------------------------------------------------------------- schema changes

    /**
     * Takes the changes made to the database's tables since capture last ran on them, when its table
     * definitions moved (one cheap query when they did not): new nullable or defaulted columns and new
     * tables (when capture covers every table) are captured and served from now on, under a new {@link
     * PullResult#schemaVersion() schema version}; destructive changes are refused (logged, and listed in the
     * answer) and their tables keep syncing with the shape they were captured with. A hub runs it on its
     * feed-watch tick; a device runs it after creating the columns and tables its hub's schema gained.
     */
    public io.shuttlebridge.core.capture.SchemaChanges refreshSchema() {
        synchronized (schemaLock) {
            String stamp = db.read(c -> CatalogStamp.read(c, Dialects.of(db)));
            long before = context.schema().version();
            if (stamp.equals(catalogStamp)) {
                return new io.shuttlebridge.core.capture.SchemaChanges(before, List.of(), false);
            }
            SchemaEvolution.Outcome o = SchemaEvolution.apply(db, before);
            catalogStamp = o.stamp();
            if (o.changes().changed()) {
                context.swapSchema(o.schema());
                log.info(
                        "synced schema of {} changed (version {}): {}",
                        Identifiers.redactUrl(db.displayUrl()),
                        o.schema().version(),
                        String.join("; ", o.changes().safe()));
            }
            if (!o.changes().refused().isEmpty() && !o.changes().refused().equals(lastRefused)) {
                log.warn(
                        "schema changes of {} refused (those tables keep their captured shape; see 'shuttle schema"
                                + " check'): {}",
                        Identifiers.redactUrl(db.displayUrl()),
                        String.join("; ", o.changes().refused()));
            }
            lastRefused = o.changes().refused();
            // the destructive changes of synced tables move the announced version
            context.pendingSchemaChanges(o.changes(), o.schema());
            return o.changes();
        }
    }

    /** The version of the synced schema this engine works with now. */
    public long schemaVersion() {
        return context.schema().version();
    }

    private final Object schemaLock = new Object();
    private String catalogStamp;
    private List<String> lastRefused = List.of();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SyncEngine.class);

    // ---------------------------------------------------------------- hub side

    /** The highest seq in this database's feed, local writes made since the last read included. */
    public long feedPosition() {
        return hub.feedPosition();
    }

    /** Applies a pushed batch atomically and idempotently. */
    public PushResult acceptPush(String fromNode, List<Change> changes) {
        return hub.acceptPush(fromNode, changes);
    }

    /**
     * {@link #acceptPush(String, List)} with write authorization: the changes {@code guard} refuses
     * are not stored and come back in {@link PushResult#refused()}; the others are applied as one
     * transaction.
     */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard) {
        return hub.acceptPush(fromNode, changes, guard);
    }

    /**
     * {@link #acceptPush(String, List, WriteGuard)} from a device that shows where it stands: a ticket this
     * hub has moved past is refused ({@link ErrorCode#NODE_COPIED}), one it never handed out means it was
     * restored from an older backup ({@link ErrorCode#HUB_RESTORED}); the answer carries the next ticket. The
     * changes the standing lists as {@link Standing#resent resent} are taken as the writes they copy.
     */
    public PushResult acceptPush(String fromNode, List<Change> changes, WriteGuard guard, Standing standing) {
        long ticket = hub.admit(fromNode, Objects.requireNonNull(standing, "standing"), false)
                .ticket();
        return hub.acceptPush(fromNode, changes, guard, standing.resent()).withTicket(ticket);
    }

    /** Changes after {@code since} for a device, leaving out what it wrote or sent (write watermarking). */
    public PullResult servePull(String forNode, long since, int limit) {
        return hub.servePull(forNode, since, limit);
    }

    /**
     * {@link #servePull(String, long, int)} for a device that shows where it stands, checked as for a push;
     * a device restored from a backup is told to take the snapshot, which brings back what it pushed after
     * the backup.
     */
    public PullResult servePull(String forNode, long since, int limit, Standing standing) {
        Tickets.Admission admitted = hub.admit(forNode, Objects.requireNonNull(standing, "standing"), true);
        if (admitted.resync()) {
            return PullResult.resync(since).withTicket(admitted.ticket());
        }
        return hub.servePull(forNode, since, limit).withTicket(admitted.ticket());
    }

    /** The full state (rows and tombstones, whoever wrote them) after {@code after}, for bootstrap and resync. */
    public PullResult serveSnapshot(String forNode, long after, int limit) {
        return hub.serveSnapshot(forNode, after, limit);
    }

    /** {@link #serveSnapshot(String, long, int)} of some tables only, for a device reconciling them. */
    public PullResult serveSnapshot(String forNode, long after, int limit, Set<String> tables) {
        return hub.serveSnapshot(forNode, after, limit, tables, null, List.of());
    }

    /** The {@link KeyDigest} of the keys of {@code table}'s rows, for a device reconciling it. */
    public KeyDigest rowDigest(String table) {
        return hub.rowDigest(table, null, List.of());
    }

    /**
     * The rows of {@code table} that the holder of {@code have} lacks or holds at another version, at most
     * {@code limit}, and on the last page its rows this hub no longer has ({@link RowDiff}), for a device
     * reconciling the table.
     */
    public RowDiff serveRowDiff(String forNode, String table, RowSet have, int limit) {
        io.shuttlebridge.core.internal.sync.NodeIds.require(forNode);
        return new io.shuttlebridge.core.internal.sync.RowDiffs(context)
                .serve(db, table, io.shuttlebridge.core.internal.feed.RowCondition.ALL, have, limit);
    }

    /**
     * Forgets tombstones every known peer has acknowledged; a peer asking from before them is
     * told to resync. Returns how many were purged.
     */
    public int purgeTombstones() {
        return hub.purgeTombstones();
    }

    /**
     * Retires a device: this hub forgets its cursor, so that it no longer holds back the purge of
     * tombstones, and refuses it if it comes back (it must be cloned again; its unpushed writes can
     * travel in a bundle). Returns whether the device was known.
     */
    /**
     * Retires the devices this hub has not heard from for {@code silence} (their last pull), as {@link
     * #retirePeer} does one; returns their node uuids.
     */
    public List<String> retireSilentPeers(java.time.Duration silence) {
        return hub.retireSilentPeers(silence);
    }

    /**
     * Forgets the records of what ended more than {@code keep} ago: resolved or dismissed conflicts,
     * dismissed or retried rejected writes, imported bundles' ids, a hub's re-stamps, finished Bridge
     * batches and settled dead letters (open ones are kept whatever their age). Returns how many, by
     * table.
     */
    public java.util.Map<String, Integer> pruneHistory(java.time.Duration keep) {
        java.time.Instant cutoff = context.clock().instant().minus(keep);
        return db.transaction(c -> io.shuttlebridge.core.internal.sync.MetadataRetention.prune(
                c, io.shuttlebridge.core.internal.dialect.Dialects.of(db), cutoff));
    }

    public boolean retirePeer(String nodeUuid) {
        NodeIds.require(nodeUuid);
        return context.pullAcks()
                .retiring(
                        nodeUuid,
                        () -> db.transaction(c ->
                                PeerStore.retire(c, nodeUuid, context.clock().millis())));
    }

    // ---------------------------------------------------------------- device side

    /**
     * Pulls every page from the hub, then pushes every local change it has not acknowledged. A hub that was
     * restored from an older backup gets every local change again, and this device its snapshot; a database
     * that is a copy of another syncing as the same node is refused ({@link ErrorCode#NODE_COPIED}).
     */
    public SyncReport pullThenPush(Transport hub) {
        String hubNode = hub.hubNode();
        NodeIds.require(hubNode);
        SyncTally tally = new SyncTally();
        boolean resynced;
        try {
            resynced = device.pull(hub, hubNode, tally);
            resynced |= device.push(hub, hubNode, tally);
            device.afterPush(hub, hubNode, tally);
        } catch (RuntimeException e) {
            throw device.explain(e);
        }
        db.transaction(c -> {
            PeerStore.outcome(c, hubNode, tally.summary(), context.clock());
            if (!keepHistory.isZero()) {
                DeviceRetention.maybeRun(
                        c, Dialects.of(db), context.schema(), context.clock().instant(), keepHistory);
            }
            return null;
        });
        return tally.report(resynced, cursor(hubNode));
    }

    /**
     * Moves this device from hub {@code oldHub} to hub {@code newHub} (both node uuids), keeping its
     * unpushed writes: what it received from the old hub is never pushed to the new one, what the old hub
     * took is not pushed again, and the next sync with the new hub takes its snapshot first (removing rows
     * the new hub does not hold, except this device's unpushed writes) and then pushes the rest.
     */
    public void adoptHub(String oldHub, String newHub) {
        NodeIds.require(oldHub);
        NodeIds.require(newHub);
        db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            HubMove.adopt(c, oldHub, newHub);
            return null;
        });
    }

    public PeerCursor cursor(String peer) {
        writePullAcks();
        return db.read(c -> PeerStore.get(c, peer));
    }

    public List<PeerCursor> peers() {
        writePullAcks();
        return db.read(PeerStore::all);
    }

    /**
     * Writes what the pulls this engine served as a pooled hub acknowledged and has not written yet (it
     * writes them a moment after each pull, many together): before reading the peers' cursors, and before the
     * hub stops.
     */
    public void writePullAcks() {
        context.pullAcks().writeNow();
    }

    /** Changes made here not yet pushed to the given peer (every local change when {@code peer} is null). */
    public long pendingChanges(String peer) {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
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
        return conflicts.list(openOnly);
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
        return conflicts.resolve(conflictId, settlement);
    }

    @Override
    public String toString() {
        return "SyncEngine[" + nodeUuid() + " on " + Identifiers.redactUrl(db.displayUrl()) + "]";
    }

    /** Validated settings; {@link #build} opens the engine. */
    public static final class Builder {
        private final ShuttleDatabase db;
        private final Map<String, ConflictResolver> resolvers = new HashMap<>();
        private int pageSize = DEFAULT_PAGE;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private ApplyListener listener = ApplyListener.NONE;
        private MillisClock clock = MillisClock.system();
        private Duration maxClockSkew = DEFAULT_MAX_CLOCK_SKEW;
        private Duration keepHistory = DEFAULT_KEEP_HISTORY;

        private Builder(ShuttleDatabase db) {
            this.db = db;
        }

        /**
         * The engine's one source of time (default: the system clock): the stamps of the writes it
         * makes while applying, and the times it records (conflicts detected and resolved, changes
         * held, syncs, bundles). Tests and simulations give a clock they move themselves.
         */
        public Builder clock(MillisClock c) {
            clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /**
         * As a hub, how far ahead of its clock a pushed change's stamp may be (default {@link
         * #DEFAULT_MAX_CLOCK_SKEW 5 minutes}, zero or more): a change stamped further ahead is applied
         * under a stamp of this engine's clock instead and reported in the push's answer, so that a
         * device whose clock runs ahead cannot win over every later write of a row.
         */
        public Builder maxClockSkew(Duration bound) {
            Objects.requireNonNull(bound, "maxClockSkew");
            if (bound.isNegative()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the maximum clock skew must be zero or more, got " + bound);
            }
            maxClockSkew = bound;
            return this;
        }

        /**
         * As a device, how long it keeps what is over (default {@link #DEFAULT_KEEP_HISTORY 30 days}; zero: for
         * ever): once a day, at the end of a sync, it forgets the records of what ended longer ago than this
         * (resolved or dismissed conflicts, settled rejected writes, imported bundles' ids, as {@link
         * #pruneHistory} does) and the older tombstones its hub has acknowledged, so that its {@code _shuttle_}
         * tables grow with its rows and not with every write it saw. Tombstones go only in tables under LWW or
         * FIELD_LWW, and only on a database that serves no devices of its own. A hub restored from a backup
         * older than this gets back from its devices only the deletes made within it: a row deleted after the
         * backup and longer ago than this comes back.
         */
        public Builder keepHistory(Duration keep) {
            Objects.requireNonNull(keep, "keepHistory");
            if (keep.isNegative()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the time to keep history must be zero or more, got " + keep);
            }
            keepHistory = keep;
            return this;
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
