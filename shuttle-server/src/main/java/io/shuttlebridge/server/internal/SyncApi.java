package io.shuttlebridge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.TableGenerations;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedRanges;
import io.shuttlebridge.core.internal.feed.FeedTail;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.protocol.LeaseCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.core.internal.protocol.PushResultCodec;
import io.shuttlebridge.core.internal.protocol.RowDiffCodec;
import io.shuttlebridge.core.internal.protocol.SchemaCodec;
import io.shuttlebridge.core.internal.protocol.StandingHeaders;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.FilteredSnapshot;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.internal.sync.MovedRows;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.internal.sync.RowDiffs;
import io.shuttlebridge.core.internal.sync.Tickets;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.WriteGuard;
import io.shuttlebridge.server.auth.Subject;
import io.shuttlebridge.server.internal.rules.NamedParameters;
import io.shuttlebridge.server.internal.rules.ReadFilter;
import io.shuttlebridge.server.internal.rules.ReadSetChanges;
import io.shuttlebridge.server.internal.rules.RuleSql;
import io.shuttlebridge.server.internal.rules.RulesWriteGuard;
import io.shuttlebridge.server.internal.rules.UnreadTables;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The protocol v1 handlers: schema, lease, push, pull and snapshot, each a thin layer over the engine. */
public final class SyncApi {
    private final SyncEngine engine;
    private final LeaseStore leases;
    private final BodyReader body;
    private final int maxBatch;
    private final PushGate gate;
    private final StreamHub stream;
    private final HubMetrics metrics;
    private final NodeBindings bindings;
    private final SyncRules rules;
    private final ReadFilter reads;
    private final ReadSetChanges moves;
    private final HubSide hub;
    private final FilteredSnapshot snapshots;
    private final RowDiffs rowDiffs;
    private final MovedRows movedRows;
    /**
     * The schema document of the schema version and the unfilled columns it was written for (written again
     * when either moves).
     */
    private volatile Object[] schemaJson = {0L, "", Map.of()};
    /** A hot standby of the hub's database that serves pulls and snapshots, or null. */
    private final ShuttleDatabase replica;

    private final FeedRanges ranges = new FeedRanges();
    /** The end of the feed that pulls without rules share (each change encoded once, hidden columns left out). */
    private final FeedTail tail;
    /** The reads served at once, so that pushes always find a connection. */
    private final ReadSlots readSlots;
    /** The next page of a snapshot under rules, read while the device takes one. */
    private final SnapshotReadAhead readAhead;

    /**
     * The most entries, and bytes of their encodings, that the shared end of the feed keeps ({@link FeedTail});
     * either 0: none kept, every pull reads its own page.
     */
    static final String TAIL_ENTRIES = "shuttle.hub.pullTailEntries";

    static final String TAIL_BYTES = "shuttle.hub.pullTailBytes";

    /** How long a pull waits for the standby to replay what devices may have been told of before the primary serves it. */
    private static final long REPLICA_WAIT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);

    public SyncApi(
            SyncEngine engine,
            LeaseStore leases,
            BodyReader body,
            int maxBatch,
            PushGate gate,
            StreamHub stream,
            HubMetrics metrics,
            NodeBindings bindings,
            SyncRules rules,
            ShuttleDatabase replica) {
        this.replica = replica;
        this.engine = engine;
        this.rules = rules;
        this.bindings = bindings;
        this.leases = leases;
        this.body = body;
        this.maxBatch = maxBatch;
        this.gate = gate;
        this.stream = stream;
        this.metrics = metrics;
        this.reads = rules == null
                ? null
                : new ReadFilter(rules, EngineAccess.context(engine).schema());
        this.moves = rules == null
                ? null
                : new ReadSetChanges(rules, EngineAccess.context(engine).schema());
        if (rules != null) {
            // an advance made only of tables no device reads and no predicate reads wakes no device
            UnreadTables unread =
                    UnreadTables.of(rules, EngineAccess.context(engine).schema(), engine.database());
            if (unread != null) {
                stream.tellOnlyWhen(unread);
            }
        }
        int tailEntries = Integer.getInteger(TAIL_ENTRIES, 32_768);
        long tailBytes = Long.getLong(TAIL_BYTES, 16L << 20);
        // a bound of 0 turns the shared end off: every pull reads its own page
        this.tail = tailEntries <= 0 || tailBytes <= 0
                ? null
                : new FeedTail(
                        ch -> WireCodec.changeBytes(reads == null ? ch : reads.withoutHiddenColumns(ch)),
                        tailEntries,
                        tailBytes);
        this.hub = new HubSide(EngineAccess.context(engine));
        this.readSlots = ReadSlots.of(engine.database());
        metrics.readSlots(readSlots);
        // a page read ahead needs a connection of its own: only a pooled hub (and standby) reads ahead
        this.readAhead = new SnapshotReadAhead(
                rules != null
                        && engine.database().pooled()
                        && (replica == null || replica.pooled())
                        && Boolean.parseBoolean(System.getProperty(SnapshotReadAhead.PROPERTY, "true")),
                readSlots,
                java.util.concurrent.Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("shuttle-read-ahead-", 0).factory()),
                metrics,
                System::nanoTime);
        this.snapshots = new FilteredSnapshot(EngineAccess.context(engine));
        this.rowDiffs = new RowDiffs(EngineAccess.context(engine));
        this.movedRows = new MovedRows(EngineAccess.context(engine));
    }

    /** The tables' generations the last schema document was written with. */
    private volatile Map<String, Long> generationsSeen = Map.of();

    /** The schema version answers carry (moved while a destructive schema change is pending on the hub). */
    private long announcedVersion() {
        return EngineAccess.context(engine).announcedSchemaVersion();
    }

    /**
     * The schema devices follow: the generations of the tables first, then the synced schema, brought up to
     * date when a generation moved since the last look (a table taken again after a destructive change, by
     * this process or another): a table's new generation always comes with its new shape, never with the
     * shape before it, which a device would clone the table again at.
     */
    private HubSchema hubSchema() {
        Map<String, Long> generations = engine.database().read(TableGenerations::ofHub);
        if (!generations.equals(generationsSeen)) {
            engine.refreshSchema();
            generationsSeen = generations;
        }
        var schema = EngineAccess.context(engine).schema();
        String dialect = Dialects.of(engine.database()).name();
        HubSchema h = HubSchema.of(
                schema,
                dialect,
                generations,
                engine.database()
                        .read(c -> io.shuttlebridge.core.internal.schema.ColumnDefaults.ofTables(
                                c,
                                dialect,
                                schema.tables().stream().map(t -> t.name()).toList())));
        return new HubSchema(h.hubNode(), h.dialect(), h.tables(), announcedVersion()).withUnfilled(unfilled());
    }

    /**
     * The columns this hub, itself a device of another hub, has not taken that hub's values of yet
     * ({@link NewColumns}): its devices keep them unfilled until it has.
     */
    private Map<String, Set<String>> unfilled() {
        return engine.database().read(NewColumns::pending);
    }

    private HubLimits limits() {
        return new HubLimits(maxBatch, body.maxBytes());
    }

    /** The condition a caller's rules put on the feed entries it reads; null without rules. */
    private NamedParameters.Bound readCondition(Context ctx) {
        return reads == null
                ? null
                : reads.feedCondition(
                        Dialects.of(engine.database()), RequestAuth.subject(ctx).claims());
    }

    private PullResult visible(PullResult r) {
        if (r.schemaVersion() == 0 && !r.resyncRequired()) {
            r = r.withSchemaVersion(announcedVersion()); // a snapshot page read under rules says it too
        }
        return reads == null || r.resyncRequired() ? r : reads.withoutHiddenColumns(r);
    }

    public void schema(Context ctx) {
        if (reads == null) {
            Object[] doc = schemaJson;
            long version = announcedVersion();
            Map<String, Set<String>> unfilled = unfilled();
            if ((long) doc[0] != version || !doc[2].equals(unfilled)) {
                HubSchema h = hubSchema();
                doc = new Object[] {announcedVersion(), SchemaCodec.write(h, limits(), engine.maxClockSkew()), unfilled
                };
                schemaJson = doc;
            }
            json(ctx, (String) doc[1]);
            return;
        }
        json(ctx, SchemaCodec.write(reads.schema(hubSchema()), limits(), engine.maxClockSkew()));
    }

    public void lease(Context ctx) {
        JsonNode req = body.json(ctx);
        String deviceKey = req.path("deviceKey").asText(null);
        String nodeUuid = req.path("nodeUuid").asText(null);
        LeaseStore.validate(deviceKey, nodeUuid); // a refused request binds nothing
        Subject subject = RequestAuth.subject(ctx);
        leases.nodeOf(deviceKey).ifPresent(holder -> bindings.check(subject, holder));
        boolean bound = bindings.bindNew(subject, nodeUuid);
        Lease l;
        try {
            l = leases.lease(deviceKey, nodeUuid);
        } catch (RuntimeException e) {
            if (bound) {
                bindings.unbind(nodeUuid); // every short id taken, say: the node stays nobody's
            }
            throw e;
        }
        json(ctx, LeaseCodec.write(l));
    }

    public void push(Context ctx) {
        byte[] raw = body.bytes(ctx);
        WireCodec.PushRequest fast = WireCodec.readPushRequest(raw, maxBatch);
        WireCodec.PushRequest req = fast != null ? fast : WireCodec.pushRequest(body.parse(raw), maxBatch);
        Subject subject = RequestAuth.subject(ctx);
        boolean bound = bindings.bindNew(subject, req.nodeUuid());
        PushResult r;
        try {
            if (!subject.hasRole(Subject.RELAY)) {
                ownOrigins(req);
            }
            WriteGuard guard = rules == null
                    ? WriteGuard.NONE
                    : new RulesWriteGuard(
                            rules, EngineAccess.context(engine).schema(), subject, Dialects.of(engine.database()));
            Standing standing = StandingHeaders.read(ctx::header);
            PushResult pushed = gate.run(() -> standing == null
                    ? engine.acceptPush(req.nodeUuid(), req.changes(), guard)
                    : engine.acceptPush(req.nodeUuid(), req.changes(), guard, standing));
            if (moves != null && !pushed.rejected().isEmpty()) {
                notTaken(req, pushed);
            }
            r = reads == null || pushed.refused().isEmpty()
                    ? pushed
                    : engine.database().read(c -> reads.refusals(c, pushed, subject.claims()));
            ticket(ctx, pushed.ticket());
        } catch (RuntimeException e) {
            if (bound) {
                bindings.unbind(req.nodeUuid()); // a refused push binds nothing
            }
            throw e;
        }
        metrics.pushed(req.changes().size(), r);
        if (r.applied() > 0) {
            stream.advanced(r.hubSeq());
        }
        json(ctx, PushResultCodec.write(r));
    }

    /** Under rules, the tables of the pushed changes the hub did not take, for the device's next pull to reconcile. */
    private void notTaken(WireCodec.PushRequest req, PushResult pushed) {
        Set<io.shuttlebridge.core.change.Stamp> stamps = new java.util.HashSet<>(pushed.rejected());
        Set<String> tables = new java.util.TreeSet<>();
        for (io.shuttlebridge.core.change.Change ch : req.changes()) {
            if (stamps.contains(ch.stamp())) {
                tables.add(ch.table());
            }
        }
        engine.database().transaction(c -> {
            moves.notTaken(c, req.nodeUuid(), tables);
            return null;
        });
    }

    public void pull(Context ctx) {
        readSlots.run(() -> pullInSlot(ctx));
    }

    private void pullInSlot(Context ctx) {
        String node = node(ctx);
        long since = cursor(ctx, "since");
        int limit = limit(ctx);
        bindings.check(RequestAuth.subject(ctx), node);
        Standing standing = StandingHeaders.read(ctx::header);
        Tickets.Admission admitted = standing == null ? null : hub.admit(node, standing, true);
        if (admitted != null) {
            ticket(ctx, admitted.ticket());
            if (admitted.resync()) { // a restored backup, or one of a history of this hub that its restore lost
                json(ctx, WireCodec.pullResultBytes(PullResult.resync(since), -1));
                return;
            }
        }
        if (FilteredSnapshot.isCursor(since)) {
            // a device that stopped part-way through its snapshot under rules: it goes on with it
            NamedParameters.Bound cond = readCondition(ctx);
            PullResult r = visible(snapshotPage(node, since, limit, null, cond, readable(ctx, cond, null)));
            metrics.pulled(r.changes().size());
            json(ctx, WireCodec.pullResultBytes(r, -1));
            return;
        }
        if ((reads == null || !reads.filters()) && replica == null && tail != null) {
            sharedPull(ctx, node, since, limit);
            return;
        }
        PullResult r;
        // under rules, the page's own statement also reads what the device may have to reconcile
        HubSide.MoveCheck check = moves == null
                ? null
                : moves.check(node, since, RequestAuth.subject(ctx).claims(), "1".equals(ctx.queryParam("moves")));
        // the condition on feed entries, for the pulls that read through the feed
        NamedParameters.Bound cond = check != null && replica == null ? null : readCondition(ctx);
        if (replica != null && replicaCaughtUp(stream.position())) {
            metrics.pulledFrom("replica");
            r = visible(hub.servePull(
                    replica,
                    node,
                    since,
                    limit,
                    cond == null ? null : cond.sql(),
                    cond == null ? List.of() : cond.args(),
                    check));
        } else {
            if (replica != null) {
                metrics.pulledFrom("primary");
            }
            if (check != null) {
                // the stretch of feed every subject's page shares is read once; each reads its own rows
                r = visible(hub.servePullByRules(
                        node,
                        since,
                        limit,
                        reads.readableRows(RequestAuth.subject(ctx).claims()),
                        check.watched(),
                        ranges,
                        check.reconcile()));
            } else {
                r = visible(
                        cond == null
                                ? engine.servePull(node, since, limit)
                                : hub.servePull(node, since, limit, cond.sql(), cond.args()));
            }
        }
        metrics.pulled(r.changes().size());
        lag(since, r.next());
        json(ctx, WireCodec.pullResultBytes(r, -1));
    }

    public void snapshot(Context ctx) {
        readSlots.run(() -> snapshotInSlot(ctx));
    }

    private void snapshotInSlot(Context ctx) {
        String node = node(ctx);
        long after = cursor(ctx, "after");
        int limit = limit(ctx);
        bindings.check(RequestAuth.subject(ctx), node);
        Set<String> tables = tables(ctx);
        NamedParameters.Bound cond = readCondition(ctx);
        if (moves != null && after == 0) {
            Map<String, Object> claims = RequestAuth.subject(ctx).claims();
            engine.database().transaction(c -> {
                moves.remember(c, node, claims);
                return null;
            });
        }
        Map<String, RowCondition> readable = readable(ctx, cond, tables);
        SnapshotReadAhead.Answer a;
        if (readable != null && (after == 0 || FilteredSnapshot.isCursor(after))) {
            // a device paging through a snapshot under rules: its next page may have been read while it took this one
            // (from a cursor the hub still keeps, not one lost with a restore, say); a clone's pages after its first
            // are full ones, the default page within this hub's limit
            a = readAhead.answer(
                    new SnapshotReadAhead.Ask(node, after, limit, readable, announcedVersion()),
                    () -> snapshots.holds(after, node),
                    ask -> snapshotAnswer(node, ask.after(), ask.limit(), tables, cond, readable),
                    Math.min(SyncEngine.DEFAULT_PAGE, maxBatch));
        } else {
            a = snapshotAnswer(node, after, limit, tables, cond, readable);
        }
        metrics.pulled(a.rows());
        json(ctx, a.body());
    }

    /** A snapshot page's answer as it is sent. */
    private SnapshotReadAhead.Answer snapshotAnswer(
            String node,
            long after,
            int limit,
            Set<String> tables,
            NamedParameters.Bound cond,
            Map<String, RowCondition> readable) {
        PullResult r = visible(snapshotPage(node, after, limit, tables, cond, readable));
        return new SnapshotReadAhead.Answer(
                WireCodec.pullResultBytes(r, engine.feedPosition()), r.changes().size(), r.next(), r.more());
    }

    /**
     * The rows the caller's claims let it read, of {@code tables} only (null: of every table), when its rules filter
     * ({@code cond} not null); else null.
     */
    private Map<String, RowCondition> readable(Context ctx, NamedParameters.Bound cond, Set<String> tables) {
        if (cond == null) {
            return null;
        }
        Map<String, RowCondition> readable =
                reads.readableRows(RequestAuth.subject(ctx).claims());
        if (tables != null) {
            readable.keySet().retainAll(tables);
        }
        return readable;
    }

    /**
     * A snapshot page (of {@code tables} only, null for all). Under rules it is read from the rows the
     * caller may read ({@code readable}, with {@code cond} its condition on feed entries); a cursor of the
     * feed handed out before (by an older hub, or one without rules then) goes on through the feed, and a
     * filtered snapshot's cursor with no rules now has the device start over.
     */
    private PullResult snapshotPage(
            String node,
            long after,
            int limit,
            Set<String> tables,
            NamedParameters.Bound cond,
            Map<String, RowCondition> readable) {
        if (cond != null && (after == 0 || FilteredSnapshot.isCursor(after))) {
            return snapshots.serve(replica == null ? engine.database() : replica, node, after, limit, readable);
        }
        if (FilteredSnapshot.isCursor(after)) {
            return PullResult.resync(after);
        }
        if (replica != null) {
            return hub.serveSnapshot(
                    replica,
                    node,
                    after,
                    limit,
                    tables,
                    cond == null ? null : cond.sql(),
                    cond == null ? List.of() : cond.args());
        }
        return cond == null && tables == null
                ? engine.serveSnapshot(node, after, limit)
                : hub.serveSnapshot(
                        node,
                        after,
                        limit,
                        tables,
                        cond == null ? null : cond.sql(),
                        cond == null ? List.of() : cond.args());
    }

    /**
     * A pull cut from the end of the feed that every device's pull shares ({@link FeedTail}): the feed read
     * once and each change encoded once for many devices, each device's own changes left out.
     */
    private void sharedPull(Context ctx, String node, long since, int limit) {
        FeedTail.Answer page = hub.servePullShared(node, since, limit, tail);
        if (page == null) {
            metrics.pulled(0);
            lag(since, since);
            json(ctx, WireCodec.pullResultBytes(PullResult.resync(since), -1));
            return;
        }
        metrics.sharedPull(page.shared());
        metrics.pulled(page.changes().size());
        lag(since, page.next());
        json(ctx, WireCodec.pullPageBytes(page.changes(), page.next(), page.more(), page.schemaVersion()));
    }

    /**
     * A device pulled from {@code since} and got a page ending at {@code next}: how far it was behind the feed
     * (as far as this hub knows it: pushes, its watcher, other hubs' notifications), however much of that the
     * page carried.
     */
    private void lag(long since, long next) {
        metrics.lag(since, Math.max(next, stream.position()));
    }

    /**
     * Whether the standby has replayed the feed up to {@code known} (what devices may have been told of),
     * waiting a little for it: a device that heard of a position and pulls gets it, whichever serves it.
     */
    private boolean replicaCaughtUp(long known) {
        long deadline = System.nanoTime() + REPLICA_WAIT_NANOS;
        while (true) {
            if (hub.feedPosition(replica) >= known) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The {@link io.shuttlebridge.core.sync.KeyDigest} of the keys of the rows of one table the caller may
     * read, for a device reconciling it (move-in and move-out).
     */
    public void digest(Context ctx) {
        String node = node(ctx);
        bindings.check(RequestAuth.subject(ctx), node);
        String table = tableParameter(ctx);
        NamedParameters.Bound where = rules == null
                ? null
                : RuleSql.where(
                        rules.table(table).read(), RequestAuth.subject(ctx).claims());
        KeyDigest d =
                hub.rowDigest(table, where == null ? null : where.sql(), where == null ? List.of() : where.args());
        json(ctx, WireCodec.digest(table, d));
    }

    /**
     * The rows of one table the caller may read that it lacks or holds at another version, given the
     * hashes of the rows it holds, and on the last page those of its rows it may no longer read (move-in
     * and move-out sending only what differs).
     */
    public void diff(Context ctx) {
        readSlots.run(() -> diffInSlot(ctx));
    }

    private void diffInSlot(Context ctx) {
        String node = node(ctx);
        bindings.check(RequestAuth.subject(ctx), node);
        RowDiffCodec.Request req = RowDiffCodec.request(body.json(ctx));
        readable(req.table());
        RowCondition condition = reads == null
                ? RowCondition.ALL
                : reads.readableRows(RequestAuth.subject(ctx).claims()).get(req.table());
        if (condition == null) {
            throw new ShuttleException(
                    ErrorCode.FORBIDDEN, "the sync rules do not let this subject read table \"" + req.table() + "\"");
        }
        // from the primary: a standby behind what the device already pulled would name rows gone that are not
        RowDiff d =
                rowDiffs.serve(engine.database(), req.table(), condition, req.have(), Math.min(req.limit(), maxBatch));
        if (reads != null) {
            PullResult visible = reads.withoutHiddenColumns(new PullResult(d.changes(), 0, d.more(), false));
            d = new RowDiff(visible.changes(), d.gone(), d.more());
        }
        metrics.pulled(d.changes().size());
        json(ctx, RowDiffCodec.answer(d));
    }

    /**
     * The rows of one table that entered the caller's set since a cursor, because rows were added to the
     * tables its read predicate reads (move-in, asked by a device whose pull answer named the table in {@code
     * movedIn}): {@code table}, {@code since} (the cursor of that pull), {@code after} (0, then the cursor the
     * previous page answered), {@code limit}.
     */
    public void moved(Context ctx) {
        readSlots.run(() -> movedInSlot(ctx));
    }

    private void movedInSlot(Context ctx) {
        String node = node(ctx);
        bindings.check(RequestAuth.subject(ctx), node);
        String table = tableParameter(ctx);
        long since = cursor(ctx, "since");
        long after = cursor(ctx, "after");
        int limit = limit(ctx);
        List<String> from = moves == null ? List.of() : moves.growingFrom(table);
        if (from.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the rows that move into table \"" + table + "\" are found by reconciling it whole: its read"
                            + " rule is not one that only lets rows in as rows are added to the tables it reads");
        }
        RowCondition condition =
                reads.readableRows(RequestAuth.subject(ctx).claims()).get(table);
        if (condition == null) {
            throw new ShuttleException(
                    ErrorCode.FORBIDDEN, "the sync rules do not let this subject read table \"" + table + "\"");
        }
        // from the primary: the cursor it answers with is this hub's
        PullResult r = visible(movedRows.serve(node, table, since, after, limit, condition, from));
        metrics.pulled(r.changes().size());
        json(ctx, WireCodec.pullResultBytes(r, -1));
    }

    /** The tables a snapshot is restricted to ({@code tables=a,b}), each synced and readable; null for all. */
    private Set<String> tables(Context ctx) {
        String v = ctx.queryParam("tables");
        if (v == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : v.split(",")) {
            if (t.isBlank()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "tables: a comma-separated list of table names, got '" + v + "'");
            }
            readable(t);
            out.add(t);
        }
        return out;
    }

    /** The table a request names ({@code table=T}), synced and readable ({@link #readable}). */
    private String tableParameter(Context ctx) {
        String table = ctx.queryParam("table");
        if (table == null || table.isBlank()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "say which table: query parameter 'table'");
        }
        readable(table);
        return table;
    }

    /** Refuses a table that is not synced here (404) or that the rules do not let anyone read (403). */
    private void readable(String table) {
        EngineAccess.context(engine).schema().require(table);
        if (rules != null && rules.table(table).read() instanceof Predicate.None) {
            throw new ShuttleException(ErrorCode.FORBIDDEN, "the sync rules let no one read table \"" + table + "\"");
        }
    }

    /** Every change of a push from a subject that is not a relay must be the pushing node's own. */
    private static void ownOrigins(WireCodec.PushRequest req) {
        for (int i = 0; i < req.changes().size(); i++) {
            String origin = req.changes().get(i).origin();
            if (!req.nodeUuid().equals(origin)) {
                throw new ShuttleException(
                        ErrorCode.FORBIDDEN,
                        "changes[" + i + "] carries origin " + origin + ", not the pushing node " + req.nodeUuid()
                                + ": only a subject with the '" + Subject.RELAY
                                + "' role may push other nodes' changes");
            }
        }
    }

    private static String node(Context ctx) {
        String node = ctx.header(Protocol.NODE_HEADER);
        if (node == null || node.isBlank()) {
            node = ctx.queryParam(Protocol.NODE_PARAM);
        }
        if (node == null || node.isBlank()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "say which node is asking: header " + Protocol.NODE_HEADER + " or query parameter '"
                            + Protocol.NODE_PARAM + "' with the device's node uuid");
        }
        return node;
    }

    private static long cursor(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    name + " must be a non-negative integer (a hub seq), got '" + v + "'",
                    e);
        }
    }

    /** The page size asked for, capped at the hub's batch limit (a page may always hold fewer). */
    private int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isBlank()) {
            return Math.min(SyncEngine.DEFAULT_PAGE, maxBatch);
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, maxBatch);
        } catch (NumberFormatException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "limit must be a positive integer, got '" + v + "'", e);
        }
    }

    /** The ticket handed out with this answer ({@code Standing}), in its header; none for 0. */
    private static void ticket(Context ctx, long ticket) {
        if (ticket > 0) {
            ctx.header(Protocol.TICKET_HEADER, Long.toString(ticket));
        }
    }

    private static void json(Context ctx, String body) {
        ctx.contentType(Protocol.JSON).result(body);
    }

    private static void json(Context ctx, byte[] body) {
        ctx.contentType(Protocol.JSON).result(body);
    }
}
