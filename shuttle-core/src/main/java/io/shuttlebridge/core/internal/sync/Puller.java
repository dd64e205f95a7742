package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.Transport;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A device pulling from its hub: every page is applied and the cursor advanced in one transaction;
 * behind the hub's purge horizon it starts over from the hub's snapshot. When the hub says the set of
 * rows the device may read can have changed in some tables (sync rules: move-in and move-out), the
 * device compares its keys of each with the hub's ({@link KeyDigest}) and, where they differ, shows the
 * hub the rows it holds and takes only those that differ ({@link RowDiffReconcile}; the tables' snapshot
 * from a hub that cannot), removing what it may no longer read without capturing the removals.
 * Internal.
 */
public final class Puller {
    private static final Logger log = LoggerFactory.getLogger(Puller.class);
    /** How many times a snapshot starts over because the hub no longer knew its cursor, before giving up. */
    private static final int MAX_SNAPSHOT_RESTARTS = 3;

    private final EngineContext engine;
    private final ShuttleDatabase db;
    /** Tables whose last sweep kept rows that unpushed rows here still refer to. */
    private final Set<String> keptAfterSweep = new LinkedHashSet<>();

    private final java.util.function.Predicate<Transport> followSchema;
    private final NewColumnFill fills;

    /**
     * @param followSchema brings the device's tables up to its hub's schema when a pull answer says another
     *     schema version than the one the device last saw; false when the transport cannot
     */
    public Puller(EngineContext engine, java.util.function.Predicate<Transport> followSchema) {
        this.engine = engine;
        this.db = engine.db();
        this.followSchema = followSchema;
        this.fills = new NewColumnFill(engine);
    }

    /**
     * Pulls every page from the hub {@code hubNode}, then queues again the writes the hub refused for want
     * of a column if its schema moved ({@link HubSchemaVersion#requeueIfDue}) and gives the columns this device
     * added since its last sync the hub's values ({@link NewColumnFill}); returns whether it had to resync
     * from the snapshot.
     * Columns awaited from the hub (a store hub that had not filled them itself, {@link NewColumns}) are
     * looked up in its schema again first, which says whether it has them now.
     */
    public boolean pull(Transport hub, String hubNode, SyncTally tally) {
        boolean resynced = pullPages(hub, hubNode, tally);
        if (db.read(NewColumns::awaitingHub)) {
            followSchema.test(hub); // a transport that cannot read the hub's schema leaves them awaited
        }
        HubSchemaVersion.requeueIfDue(engine); // after every page: none of them settles a write queued again
        fills.run(hub);
        return resynced;
    }

    private boolean pullPages(Transport hub, String hubNode, SyncTally tally) {
        keptAfterSweep.clear();
        if (db.read(c -> HubMove.resyncDue(c, hubNode))) {
            // a ticket of the history the snapshot comes from first: should the hub be restored to an older
            // backup before this device's next sync, the ticket tells it, and the cursor goes with it
            fence(hub, hubNode);
            snapshot(hub, hubNode, null, tally); // a hub this device moved to, or a new identity: its state
            db.transaction(c -> {
                HubMove.resynced(c, hubNode);
                PendingReconcile.clear(c, hubNode);
                return null;
            });
            return true;
        }
        long since = db.read(c -> PeerStore.get(c, hubNode)).lastPulled();
        Standing first = db.durableTransaction(
                c -> DeviceStanding.show(c, hubNode, engine.clock().millis()));
        boolean restored = first.restoredBackup() != null;
        if (restored) {
            log.warn(
                    "this database is a restored backup ({}): getting back from the hub what it pushed after the"
                            + " backup was taken",
                    first.restoredBackup());
        }
        String self = engine.nodeUuid();
        Standing standing = first;
        while (true) {
            long asked = since;
            PullResult page = hub.pull(self, since, engine.pageSize(), standing);
            HubSchemaVersion.followIfMoved(engine, hub, hubNode, page.schemaVersion(), followSchema);
            if (page.resyncRequired()) {
                db.durableTransaction(c -> {
                    DeviceStanding.received(c, hubNode, page.ticket());
                    return null;
                });
                resyncOnly(hub, hubNode, tally);
                if (restored) {
                    db.transaction(c -> {
                        DeviceStanding.restoreAnnounced(c); // the snapshot brought back everything
                        return null;
                    });
                }
                return true;
            }
            db.durableTransaction(c -> {
                long before = restored ? Feed.top(c) : 0;
                long caughtUp = restored ? -1 : PushCursorSkip.before(c, Dialects.of(db), hubNode);
                Applier.Outcome o = engine.applier().apply(c, page.changes(), hubNode, Role.DEVICE);
                PushCursorSkip.after(c, hubNode, caughtUp);
                if (!page.reconcile().isEmpty()) {
                    PendingReconcile.add(c, hubNode, page.reconcile());
                }
                if (!page.movedIn().isEmpty()) {
                    PendingReconcile.addMovedIn(c, hubNode, page.movedIn(), asked);
                }
                PeerStore.setPulled(c, hubNode, page.next());
                DeviceStanding.received(c, hubNode, page.ticket());
                if (restored) {
                    DeviceStanding.ownChangesAcknowledged(c, before);
                    if (!page.more()) {
                        DeviceStanding.restoreAnnounced(c);
                    }
                }
                tally.applied(o);
                return null;
            });
            tally.pulled(page.changes().size());
            since = page.next();
            if (!page.more()) {
                reconcile(hub, hubNode, tally);
                return false;
            }
            standing = db.durableTransaction(
                    c -> DeviceStanding.show(c, hubNode, engine.clock().millis()));
        }
    }

    /**
     * Shows the hub where this device stands with a pull of one change, and keeps the ticket it answers
     * with; the page is not applied and the cursor stays. The hub fences every other showing of this
     * node's tickets but the one it answers, so that of two databases syncing as one node only one can
     * push (each sync pulls before it pushes for that reason; a recovery from a hub restore, which pushes
     * first, fences with this).
     */
    public void fence(Transport hub, String hubNode) {
        long since = db.read(c -> PeerStore.get(c, hubNode)).lastPulled();
        Standing standing = db.durableTransaction(
                c -> DeviceStanding.show(c, hubNode, engine.clock().millis()));
        PullResult page = hub.pull(engine.nodeUuid(), since, 1, standing);
        db.durableTransaction(c -> {
            DeviceStanding.received(c, hubNode, page.ticket());
            return null;
        });
    }

    /**
     * Takes the hub's whole snapshot in place of what this device pulled from it before, then queues again the
     * writes refused for want of a column if the hub's schema moved, and fills new columns.
     */
    public void resync(Transport hub, String hubNode, SyncTally tally) {
        resyncOnly(hub, hubNode, tally);
        HubSchemaVersion.requeueIfDue(engine); // after the snapshot, which would settle a write queued before it
        fills.run(hub);
    }

    private void resyncOnly(Transport hub, String hubNode, SyncTally tally) {
        snapshot(hub, hubNode, null, tally);
        db.transaction(c -> {
            PendingReconcile.clear(c, hubNode); // the whole snapshot settled every table
            return null;
        });
    }

    /**
     * A snapshot starts: nothing of it seen yet. A whole one replaces what was held from the hub waiting for
     * a parent: the hub's rows come again with it, and a change held from a state of the hub it no longer
     * has (a restore of the hub took it back) would otherwise be written once its parent came. The deletes
     * received from the hub that it does not carry again are forgotten after its last page ({@link
     * ResyncSweep#forgetDeletions}).
     */
    private static void begin(Connection c, String hubNode, Set<String> tables) throws SQLException {
        ResyncSweep.begin(c);
        if (tables == null) {
            PendingStore.forgetFrom(c, hubNode);
        }
    }

    /**
     * Brings the tables the hub asked to reconcile (and the tables referencing them) to exactly the rows
     * the hub would give this device now.
     */
    private void reconcile(Transport hub, String hubNode, SyncTally tally) {
        movedIn(hub, hubNode, tally);
        Set<String> asked = db.read(c -> PendingReconcile.get(c, hubNode));
        if (asked.isEmpty()) {
            return;
        }
        Dialect dialect = Dialects.of(db);
        Set<String> tables = withReferencingTables(asked);
        // received rows waiting for their parent in these tables, as they wait now
        java.util.Map<String, Integer> waiting = db.read(c -> {
            java.util.Map<String, Integer> out = new java.util.HashMap<>();
            for (PendingStore.Pending p : PendingStore.all(c)) {
                if (hubNode.equals(p.via()) && tables.contains(p.change().table())) {
                    out.put(p.change().table() + " " + p.change().key(), p.attempts());
                }
            }
            return out;
        });
        Set<String> differ = new LinkedHashSet<>();
        for (String name : engine.schema().plan().upsertOrder()) {
            if (!tables.contains(name)) {
                continue;
            }
            SyncedTable t = engine.schema().require(name);
            Optional<KeyDigest> theirs = hub.rowDigest(engine.nodeUuid(), name);
            KeyDigest mine = db.read(c -> KeyDigests.of(c, dialect, t, null, List.of()));
            if (theirs.isEmpty() || !theirs.get().equals(mine)) {
                differ.add(name);
            }
        }
        keptAfterSweep.clear();
        if (!differ.isEmpty()) {
            // only what differs; a hub that cannot say (an older one) gives the tables' snapshot
            Set<String> rest = new RowDiffReconcile(engine).run(hub, hubNode, differ, tally, keptAfterSweep);
            if (!rest.isEmpty()) {
                log.info("the rows this device may read changed in {}: taking their snapshot", rest);
                snapshot(hub, hubNode, rest, tally);
            }
        }
        db.transaction(c -> {
            // one still waiting that the hub did not send again is not readable now (its table holds what the
            // hub would give, and it was not given): it left this device's set, parent and all, and a delete
            // this device may not read would not tell it
            for (PendingStore.Pending p : PendingStore.all(c)) {
                Integer before =
                        waiting.get(p.change().table() + " " + p.change().key());
                if (hubNode.equals(p.via()) && before != null && before == p.attempts()) {
                    PendingStore.release(c, p.change());
                }
            }
            PendingReconcile.clear(c, hubNode);
            if (!keptAfterSweep.isEmpty()) {
                // rows kept for this device's own unpushed rows that refer to them: look again next time
                PendingReconcile.add(c, hubNode, keptAfterSweep);
            }
            return null;
        });
    }

    /**
     * After this sync's push: when its pull's reconcile kept rows this device may no longer read because its
     * unpushed rows referred to them, reconciles those tables again, now that the push settled those rows (the
     * hub took them, or refused them and they were restored or removed here), so that what the device may no
     * longer read leaves it in this sync rather than the next.
     */
    public void reconcileKept(Transport hub, String hubNode, SyncTally tally) {
        if (!keptAfterSweep.isEmpty()) {
            reconcile(hub, hubNode, tally);
        }
    }

    /**
     * Takes the rows the hub said moved into tables ({@link PullResult#movedIn}), parents first, except of
     * tables it asked to reconcile whole (that brings them); a table whose moved rows the hub cannot send is
     * reconciled whole instead.
     */
    private void movedIn(Transport hub, String hubNode, SyncTally tally) {
        java.util.Map<String, Long> moved = db.read(c -> PendingReconcile.movedIn(c, hubNode));
        if (moved.isEmpty()) {
            return;
        }
        Set<String> whole = withReferencingTables(db.read(c -> PendingReconcile.get(c, hubNode)));
        Set<String> instead = new LinkedHashSet<>();
        RowDiffReconcile rows = new RowDiffReconcile(engine);
        for (String name : engine.schema().plan().upsertOrder()) {
            Long since = moved.get(name);
            if (since != null && !whole.contains(name) && !rows.movedIn(hub, hubNode, name, since, tally)) {
                instead.add(name);
            }
        }
        db.transaction(c -> {
            PendingReconcile.add(c, hubNode, instead);
            PendingReconcile.clearMovedIn(c, hubNode);
            return null;
        });
    }

    private Set<String> withReferencingTables(Set<String> asked) {
        Set<String> out = new LinkedHashSet<>(asked);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (SyncedTable t : engine.schema().tables()) {
                for (ForeignKey fk : t.table().foreignKeys()) {
                    if (out.contains(fk.parentTable()) && out.add(t.name())) {
                        grew = true;
                    }
                }
            }
        }
        return out;
    }

    /**
     * Applies the hub's snapshot of {@code tables} (null: every table) and then removes the rows of
     * those tables the hub had that the snapshot did not carry. The pull cursor moves only for a whole
     * snapshot (a resync): a snapshot of some tables says nothing of the others.
     */
    private void snapshot(Transport hub, String hubNode, Set<String> tables, SyncTally tally) {
        String self = engine.nodeUuid();
        Dialect dialect = Dialects.of(db);
        db.transaction(c -> {
            begin(c, hubNode, tables);
            return null;
        });
        long after = 0;
        int restarts = 0;
        while (true) {
            PullResult page = tables == null
                    ? hub.snapshot(self, after, engine.pageSize())
                    : hub.snapshot(self, after, engine.pageSize(), tables);
            if (page.resyncRequired()) {
                if (after == 0 || ++restarts > MAX_SNAPSHOT_RESTARTS) {
                    throw new ShuttleException(
                            ErrorCode.TRANSPORT,
                            "the hub keeps answering its snapshot with 'resync' (asked after " + after + ")");
                }
                // the hub no longer knows this snapshot's cursor (it keeps them for days): start it over
                log.info("the hub no longer knows the snapshot's cursor {}: taking the snapshot again", after);
                db.transaction(c -> {
                    begin(c, hubNode, tables);
                    return null;
                });
                after = 0;
                continue;
            }
            HubSchemaVersion.followIfMoved(engine, hub, hubNode, page.schemaVersion(), followSchema);
            final boolean last = !page.more();
            db.transaction(c -> {
                long before = Feed.top(c);
                Applier.Outcome o = engine.applier().applySnapshot(c, page.changes(), hubNode);
                DeviceStanding.ownChangesAcknowledged(c, before);
                ResyncSweep.seen(c, dialect, engine.schema(), page.changes());
                if (last) {
                    if (tables == null) {
                        ResyncSweep.forgetDeletions(c, engine.schema(), hubNode);
                    }
                    Set<String> kept = ResyncSweep.sweep(
                            c,
                            dialect,
                            engine.schema(),
                            tables,
                            PeerStore.get(c, hubNode).lastPushed());
                    if (!kept.isEmpty()) {
                        keptAfterSweep.addAll(kept);
                    }
                }
                if (tables == null) {
                    PeerStore.setPulled(c, hubNode, page.next());
                }
                tally.applied(o);
                return null;
            });
            tally.pulled(page.changes().size());
            after = page.next();
            if (last) {
                return;
            }
        }
    }
}
