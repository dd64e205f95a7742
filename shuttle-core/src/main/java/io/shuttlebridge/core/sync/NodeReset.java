package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.Nodes;
import io.shuttlebridge.core.internal.sync.DeviceStanding;
import io.shuttlebridge.core.internal.sync.HubMove;
import java.util.Objects;
import java.util.UUID;

/**
 * A device database takes a new node identity ({@code shuttle node reset}): for a copy of another
 * device's database, which its hub refuses ({@link io.shuttlebridge.core.ErrorCode#NODE_COPIED}) because
 * both sync as one node.
 *
 * <p>What the hub acknowledged from the old identity stays that identity's writes (their stamps are
 * the hub's too, so nothing is sent twice); the writes the hub has not acknowledged become the new
 * identity's, and go to the hub under it at the next sync, which takes the hub's snapshot first: the
 * copy gets what the other database pushed since, as anyone else's writes, and holds its cursor by the
 * snapshot (a new identity shows its hub no ticket, so it could not tell a restore of the hub
 * meanwhile). Tickets and the backup mark are forgotten: the hub has heard nothing from the new
 * identity yet. One transaction. Open a new {@link SyncEngine} on the database afterwards: an engine
 * keeps the identity it was opened with.
 */
public final class NodeReset {
    private NodeReset() {}

    /**
     * What a reset did.
     *
     * @param unpushed the local writes not acknowledged by the hub, which now go under {@code newNode}
     */
    public record Result(String oldNode, String newNode, long unpushed) {}

    public static Result run(ShuttleDatabase db) {
        return run(db, UUID.randomUUID());
    }

    /**
     * {@link #run(ShuttleDatabase)} with the new identity given rather than a random one: for a simulation,
     * which draws every identity from its seed. It must be new to every hub the database syncs with.
     */
    public static Result run(ShuttleDatabase db, UUID newNode) {
        String fresh = Objects.requireNonNull(newNode, "newNode").toString();
        Dialect d = Dialects.of(db);
        return db.durableTransaction(c -> {
            String old = SyncSchema.load(c, d).nodeUuid();
            // a hub keeps a ticket record per device it serves
            if (MetaKeys.anyWithPrefix(c, "ticket:")) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        db.displayUrl() + " serves devices as their hub, which know it as node " + old
                                + ": a hub keeps its identity (node reset is for a device whose database was"
                                + " copied)");
            }
            d.capture().fold(c);
            long pushed = Jdbc.queryLong(c, "SELECT coalesce(max(last_pushed), 0) FROM _shuttle_peers")
                    .orElse(0L);
            Jdbc.update(c, "UPDATE _shuttle_nodes SET uuid = ? WHERE id = 0", fresh);
            int oldId = Nodes.idOf(c, old);
            // what the hub took (pushed, not refused) keeps the old identity; its next local write builds on it
            Jdbc.update(
                    c,
                    "UPDATE _shuttle_feed SET origin = ?, base = version WHERE origin = 0 AND via IS NULL AND seq <= ?"
                            + " AND NOT EXISTS (SELECT 1 FROM _shuttle_refused r WHERE r.seq = _shuttle_feed.seq)",
                    oldId,
                    pushed);
            // and so does what the hub sent back of it
            Jdbc.update(c, "UPDATE _shuttle_feed SET origin = ? WHERE origin = 0 AND via IS NOT NULL", oldId);
            Jdbc.update(
                    c,
                    "UPDATE _shuttle_colclock SET origin = ? WHERE origin = 0 AND EXISTS (SELECT 1 FROM _shuttle_feed f"
                            + " WHERE f.tbl = _shuttle_colclock.tbl AND f.pk = _shuttle_colclock.pk AND f.origin = ?)",
                    oldId,
                    oldId);
            Jdbc.update(c, "UPDATE _shuttle_meta SET value = ? WHERE key = 'node_uuid'", fresh);
            // with a new identity this database shows its hubs no ticket, so nothing would tell it that a hub was
            // restored before its next sync (nor finish a recovery from a restore that was under way): its next
            // pull takes each hub's snapshot, and its cursor is the snapshot's
            java.util.Set<String> hubs = new java.util.LinkedHashSet<>(DeviceStanding.hubsRecovering(c));
            for (var p : io.shuttlebridge.core.internal.sync.PeerStore.all(c)) {
                // a hub it pulled from, even if no sync with it finished (a copy's are refused at their push)
                if (p.lastOutcome() != null || p.lastPulled() > 0 || p.lastPushed() > 0) {
                    hubs.add(p.peer());
                }
            }
            for (String hub : hubs) {
                HubMove.resyncNext(c, hub);
            }
            DeviceStanding.forgetHubs(c);
            long unpushed = Jdbc.queryLong(
                            c,
                            "SELECT count(*) FROM _shuttle_feed WHERE origin = 0 AND via IS NULL AND seq > ?",
                            pushed)
                    .orElse(0L);
            return new Result(old, fresh, unpushed);
        });
    }
}
