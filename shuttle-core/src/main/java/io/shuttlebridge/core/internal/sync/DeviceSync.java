package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.sync.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull half of a device's sync, with what its hub's tickets tell it ({@link Tickets}): when the hub
 * says it never handed out the ticket this device holds, the hub was restored from an older backup and
 * lost writes it had acknowledged; the device then pushes every write it holds again (the hub counts
 * what it still has as duplicates) and takes the hub's snapshot in place of what it pulled before. That
 * recovery is marked in the database first, so an interrupted one goes on at the next sync. Internal.
 */
public final class DeviceSync {
    private static final Logger log = LoggerFactory.getLogger(DeviceSync.class);

    /** How often one sync starts a recovery over when the hub tells of yet another restore of it. */
    private static final int MAX_RECOVERY_STARTS = 3;

    private final ShuttleDatabase db;
    private final Puller puller;
    private final PushPipeline pusher;

    public DeviceSync(EngineContext engine, Puller puller, PushPipeline pusher) {
        this.db = engine.db();
        this.puller = puller;
        this.pusher = pusher;
    }

    /** Pulls from the hub, or recovers from its restore; returns whether it took the hub's snapshot. */
    public boolean pull(Transport hub, String hubNode, SyncTally tally) {
        if (db.read(c -> DeviceStanding.recoveringHub(c, hubNode))) {
            return recover(hub, hubNode, tally);
        }
        try {
            return puller.pull(hub, hubNode, tally);
        } catch (ShuttleException e) {
            if (e.code() != ErrorCode.HUB_RESTORED) {
                throw e;
            }
            return restored(hub, hubNode, tally, e);
        }
    }

    /**
     * Pushes what the hub has not acknowledged, or recovers from its restore when the push is what tells of
     * it (the hub was restored after this sync's pull); returns whether it took the hub's snapshot.
     */
    public boolean push(Transport hub, String hubNode, SyncTally tally) {
        try {
            pusher.push(hub, hubNode, tally);
            return false;
        } catch (ShuttleException e) {
            if (e.code() != ErrorCode.HUB_RESTORED) {
                throw e;
            }
            return restored(hub, hubNode, tally, e);
        }
    }

    /** After the push: the rows this sync's reconcile kept for unpushed rows are looked at again ({@link Puller#reconcileKept}). */
    public void afterPush(Transport hub, String hubNode, SyncTally tally) {
        puller.reconcileKept(hub, hubNode, tally);
    }

    /** The hub said it was restored ({@code e}): every local write goes again, then its snapshot comes. */
    private boolean restored(Transport hub, String hubNode, SyncTally tally, ShuttleException e) {
        startRecovery(hubNode, e);
        return recover(hub, hubNode, tally);
    }

    private void startRecovery(String hubNode, ShuttleException e) {
        log.warn(
                "the hub {} was restored from a backup older than this device's last sync with it ({}): pushing"
                        + " every write of this device again and taking the hub's snapshot",
                hubNode,
                e.getMessage());
        db.durableTransaction(c -> {
            DeviceStanding.recoveringHub(c, hubNode, true);
            // every local write goes again: the hub counts those it still holds as duplicates
            Jdbc.update(c, "UPDATE _shuttle_peers SET last_pushed = 0 WHERE peer = ?", hubNode);
            return null;
        });
    }

    /**
     * Pushes first, so that the hub holds this device's writes again before its snapshot is applied here:
     * the snapshot then brings nothing older over them. Before the push, a pull whose page is not used
     * takes a ticket from the hub ({@link Puller#fence}): the hub records this device's standing again, and
     * a copy of this database showing the same ticket can no longer push as this node (it is refused as a
     * copy before it sends anything). Once the restored hub has answered, the device no longer shows it has
     * seen the restore: should the hub be restored once more before the recovery is done (the writes pushed
     * so far lost again), the hub tells it, and the recovery starts over.
     */
    private boolean recover(Transport hub, String hubNode, SyncTally tally) {
        for (int attempt = 1; ; attempt++) {
            try {
                puller.fence(hub, hubNode);
                db.durableTransaction(c -> {
                    DeviceStanding.restoreAnswered(c, hubNode);
                    return null;
                });
                pusher.push(hub, hubNode, tally);
                puller.resync(hub, hubNode, tally);
                break;
            } catch (ShuttleException e) {
                if (e.code() != ErrorCode.HUB_RESTORED || attempt >= MAX_RECOVERY_STARTS) {
                    throw e;
                }
                startRecovery(hubNode, e); // restored again, before this recovery was done
            }
        }
        db.durableTransaction(c -> {
            DeviceStanding.recoveringHub(c, hubNode, false);
            DeviceStanding.restoreAnnounced(c); // a restored backup: the snapshot brought back everything
            return null;
        });
        log.info("recovered from the restore of hub {}: it holds this device's writes again", hubNode);
        return true;
    }

    /**
     * The hub's refusal of a copied database ({@link ErrorCode#NODE_COPIED}) with the command that settles it
     * for this one; any other failure as it is.
     */
    public RuntimeException explain(RuntimeException e) {
        if (!(e instanceof ShuttleException se) || se.code() != ErrorCode.NODE_COPIED) {
            return e;
        }
        String url = db.displayUrl();
        String where = url.startsWith("jdbc:sqlite:") ? url.substring("jdbc:sqlite:".length()) : url;
        return new ShuttleException(
                ErrorCode.NODE_COPIED,
                "the hub refused this database (" + where + "): " + se.getMessage()
                        + ". Give this database a new identity: shuttle node reset --db " + where,
                se);
    }
}
