package io.shuttlebridge.client;

import io.shuttlebridge.client.internal.DeviceMeta;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.NodeReset;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The device side of short-id leasing: asks the hub for (or renews) the lease of this device's
 * key and remembers it in the device database. The device key defaults to the node uuid.
 */
public final class NodeLeases {
    private NodeLeases() {}

    /** This device's identity as stored locally. */
    public record NodeInfo(
            String nodeUuid,
            String deviceKey,
            Optional<Lease> lease,
            Optional<String> hubUrl,
            Optional<String> hubNode) {}

    /** Leases or renews the short id at the hub and stores it. */
    public static Lease lease(ShuttleDatabase db, HttpTransport hub) {
        String node = db.read(c -> SyncSchema.load(c, Dialects.of(db))).nodeUuid();
        String key = DeviceMeta.get(db, DeviceMeta.DEVICE_KEY).orElse(node);
        Lease lease = hub.lease(key, node);
        DeviceMeta.put(db, DeviceMeta.DEVICE_KEY, key);
        DeviceMeta.put(db, DeviceMeta.SHORT_ID, Integer.toString(lease.shortId()));
        DeviceMeta.put(db, DeviceMeta.LEASE_EXPIRES, lease.leaseExpiresAt().toString());
        return lease;
    }

    /**
     * Makes {@code hub} this device's hub: leases a short id there (the old hub's means nothing there) and
     * remembers the hub's address and node, for a device moving to another hub ({@code SyncEngine.adoptHub}).
     */
    public static Lease adopt(ShuttleDatabase db, HttpTransport hub) {
        Lease lease = lease(db, hub);
        DeviceMeta.put(db, DeviceMeta.HUB_URL, hub.hub().toString());
        DeviceMeta.put(db, DeviceMeta.HUB_NODE, hub.hubNode());
        return lease;
    }

    /** A lease is renewed by a sync once less than this is left of it. */
    public static final Duration RENEW_WITHIN = Duration.ofDays(3);

    /**
     * Renews the lease when less than {@link #RENEW_WITHIN} is left of it (or it has run out), so that a
     * device that syncs keeps its short id; a device that never leased one is left alone. Returns the
     * new lease when it renewed.
     */
    public static Optional<Lease> renewIfDue(ShuttleDatabase db, HttpTransport hub) {
        Optional<Lease> current = show(db).lease();
        if (current.isEmpty()
                || current.get().leaseExpiresAt().isAfter(Instant.now().plus(RENEW_WITHIN))) {
            return Optional.empty();
        }
        return Optional.of(lease(db, hub));
    }

    /**
     * What {@link #reset} did: the identities, the local writes that go to the hub under the new one, and
     * the new lease ({@code leaseFailure} says why there is none when the hub was asked and refused or was
     * unreachable).
     */
    public record Reset(
            String oldNode, String newNode, long unpushed, Optional<Lease> lease, Optional<String> leaseFailure) {}

    /**
     * Gives a copied device database a new node identity, keeping its unpushed writes for the new one
     * ({@link NodeReset}), and a new device key and short-id lease: the copy shared both with the database
     * it was copied from. The lease is asked of {@code hub} (null: not now; {@code shuttle node lease} later).
     */
    public static Reset reset(ShuttleDatabase db, HttpTransport hub) {
        // first the lease the copy shares with the original: no ids from it whatever happens next
        DeviceMeta.remove(db, DeviceMeta.DEVICE_KEY, DeviceMeta.SHORT_ID, DeviceMeta.LEASE_EXPIRES);
        NodeReset.Result r = NodeReset.run(db);
        Optional<Lease> lease = Optional.empty();
        Optional<String> failure = Optional.empty();
        if (hub != null) {
            try {
                lease = Optional.of(lease(db, hub));
            } catch (ShuttleException e) {
                failure = Optional.of(e.getMessage());
            }
        }
        return new Reset(r.oldNode(), r.newNode(), r.unpushed(), lease, failure);
    }

    public static NodeInfo show(ShuttleDatabase db) {
        String node = db.read(c -> SyncSchema.load(c, Dialects.of(db))).nodeUuid();
        Optional<String> id = DeviceMeta.get(db, DeviceMeta.SHORT_ID);
        Optional<String> expires = DeviceMeta.get(db, DeviceMeta.LEASE_EXPIRES);
        Optional<Lease> lease = id.isPresent() && expires.isPresent()
                ? Optional.of(new Lease(Integer.parseInt(id.get()), Instant.parse(expires.get())))
                : Optional.empty();
        return new NodeInfo(
                node,
                DeviceMeta.get(db, DeviceMeta.DEVICE_KEY).orElse(node),
                lease,
                DeviceMeta.get(db, DeviceMeta.HUB_URL),
                DeviceMeta.get(db, DeviceMeta.HUB_NODE));
    }

    /**
     * The id generator of this device: built from the short id it leased from its hub, one per process
     * ({@link KSortedIds#leased}), so two devices of one hub never make the same id. Refused, with what to
     * do, when the device has not leased one (clone it, or run {@code shuttle node lease}).
     */
    public static KSortedIdGenerator idGenerator(ShuttleDatabase db) {
        NodeInfo info = show(db);
        Lease lease = info.lease()
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.NOT_INITIALIZED,
                        "this database has no short id leased from a hub, so it cannot make ids no other device"
                                + " makes: clone it from a hub or run 'shuttle node lease --db DB --hub URL'"));
        return KSortedIds.leased(info.nodeUuid(), lease.shortId());
    }
}
