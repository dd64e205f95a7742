package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.Transport;

/**
 * A device pulling from its hub: every page is applied and the cursor advanced in one transaction;
 * behind the hub's purge horizon it starts over from the hub's snapshot. Internal.
 */
public final class Puller {
    private final EngineContext engine;
    private final ShuttleDatabase db;

    public Puller(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
    }

    /** Pulls every page from the hub {@code hubNode}; returns whether it had to resync from the snapshot. */
    public boolean pull(Transport hub, String hubNode, SyncTally tally) {
        boolean resynced = false;
        boolean snapshot = false;
        long since = db.read(c -> PeerStore.get(c, hubNode)).lastPulled();
        String self = engine.nodeUuid();
        while (true) {
            PullResult page =
                    snapshot ? hub.snapshot(self, since, engine.pageSize()) : hub.pull(self, since, engine.pageSize());
            if (page.resyncRequired()) {
                snapshot = true;
                resynced = true;
                since = 0;
                db.transaction(c -> {
                    ResyncSweep.begin(c);
                    return null;
                });
                continue;
            }
            final long next = page.next();
            final boolean last = !page.more();
            final boolean sweeping = snapshot;
            db.transaction(c -> {
                Applier.Outcome o = engine.applier().apply(c, page.changes(), hubNode, Role.DEVICE);
                if (sweeping) {
                    Dialect dialect = Dialects.of(db);
                    ResyncSweep.seen(c, dialect, engine.schema(), page.changes());
                    if (last) {
                        ResyncSweep.sweep(
                                c,
                                dialect,
                                engine.schema(),
                                PeerStore.get(c, hubNode).lastPushed());
                    }
                }
                PeerStore.setPulled(c, hubNode, next);
                tally.applied(o);
                return null;
            });
            tally.pulled(page.changes().size());
            since = next;
            if (!page.more()) {
                return resynced;
            }
        }
    }
}
