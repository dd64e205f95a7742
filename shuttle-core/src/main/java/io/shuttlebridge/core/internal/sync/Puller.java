package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.Transport;
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
 * device compares its keys of each with the hub's ({@link KeyDigest}) and, where they differ, takes
 * those tables' snapshot and removes what it no longer carries, without capturing the removals.
 * Internal.
 */
public final class Puller {
    private static final Logger log = LoggerFactory.getLogger(Puller.class);

    private final EngineContext engine;
    private final ShuttleDatabase db;

    private final java.util.function.Predicate<Transport> followSchema;

    /**
     * @param followSchema brings the device's tables up to its hub's schema when a pull answer says another
     *     schema version than the one the device last saw; false when the transport cannot
     */
    public Puller(EngineContext engine, java.util.function.Predicate<Transport> followSchema) {
        this.engine = engine;
        this.db = engine.db();
        this.followSchema = followSchema;
    }

    /** Pulls every page from the hub {@code hubNode}; returns whether it had to resync from the snapshot. */
    public boolean pull(Transport hub, String hubNode, SyncTally tally) {
        if (db.read(c -> HubMove.resyncDue(c, hubNode))) {
            snapshot(hub, hubNode, null, tally); // a hub this device moved to: its state, not the old hub's
            db.transaction(c -> {
                HubMove.resynced(c, hubNode);
                PendingReconcile.clear(c, hubNode);
                return null;
            });
            return true;
        }
        long since = db.read(c -> PeerStore.get(c, hubNode)).lastPulled();
        String self = engine.nodeUuid();
        while (true) {
            PullResult page = hub.pull(self, since, engine.pageSize());
            HubSchemaVersion.followIfMoved(engine, hub, hubNode, page.schemaVersion(), followSchema);
            if (page.resyncRequired()) {
                snapshot(hub, hubNode, null, tally);
                db.transaction(c -> {
                    PendingReconcile.clear(c, hubNode); // the whole snapshot settled every table
                    return null;
                });
                return true;
            }
            db.transaction(c -> {
                Applier.Outcome o = engine.applier().apply(c, page.changes(), hubNode, Role.DEVICE);
                if (!page.reconcile().isEmpty()) {
                    PendingReconcile.add(c, hubNode, page.reconcile());
                }
                PeerStore.setPulled(c, hubNode, page.next());
                tally.applied(o);
                return null;
            });
            tally.pulled(page.changes().size());
            since = page.next();
            if (!page.more()) {
                reconcile(hub, hubNode, tally);
                return false;
            }
        }
    }

    /**
     * Brings the tables the hub asked to reconcile (and the tables referencing them) to exactly the rows
     * the hub would give this device now.
     */
    private void reconcile(Transport hub, String hubNode, SyncTally tally) {
        Set<String> asked = db.read(c -> PendingReconcile.get(c, hubNode));
        if (asked.isEmpty()) {
            return;
        }
        Dialect dialect = Dialects.of(db);
        Set<String> tables = withReferencingTables(asked);
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
        if (!differ.isEmpty()) {
            log.info("the rows this device may read changed in {}: taking their snapshot", differ);
            snapshot(hub, hubNode, differ, tally);
        }
        db.transaction(c -> {
            PendingReconcile.clear(c, hubNode);
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
            ResyncSweep.begin(c);
            return null;
        });
        long after = 0;
        while (true) {
            PullResult page = tables == null
                    ? hub.snapshot(self, after, engine.pageSize())
                    : hub.snapshot(self, after, engine.pageSize(), tables);
            HubSchemaVersion.followIfMoved(engine, hub, hubNode, page.schemaVersion(), followSchema);
            final boolean last = !page.more();
            db.transaction(c -> {
                Applier.Outcome o = engine.applier().apply(c, page.changes(), hubNode, Role.DEVICE);
                ResyncSweep.seen(c, dialect, engine.schema(), page.changes());
                if (last) {
                    ResyncSweep.sweep(
                            c,
                            dialect,
                            engine.schema(),
                            tables,
                            PeerStore.get(c, hubNode).lastPushed());
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
