package io.shuttlebridge.spring.internal;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.client.internal.DeviceMeta;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import java.util.Map;
import java.util.Optional;

/**
 * The device's first contact with its hub: the hub's node is checked against the one this database
 * synced with before (a device never mixes two hubs' feeds), remembered, and a short id is leased when
 * the device has none (for ids generated on the device).
 */
final class HubContact {
    private final ShuttleDatabase db;
    private final HttpTransport hub;
    private volatile String hubNode;

    HubContact(ShuttleDatabase db, HttpTransport hub) {
        this.db = db;
        this.hub = hub;
    }

    /** The hub node this database synced with before, without asking the hub; empty for a new device. */
    Optional<String> remembered() {
        String n = hubNode;
        return n != null ? Optional.of(n) : NodeLeases.show(db).hubNode();
    }

    /** The hub's node, asking the hub on the first call (throws when it cannot be reached). */
    String reach() {
        String n = hubNode;
        if (n != null) {
            return n;
        }
        synchronized (this) {
            if (hubNode != null) {
                return hubNode;
            }
            String answered = hub.hubNode();
            NodeLeases.NodeInfo me = NodeLeases.show(db);
            me.hubNode().filter(known -> !known.equals(answered)).ifPresent(known -> {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "this database synced with hub node " + known + ", but " + hub.hub() + " is node " + answered
                                + ": set shuttle.sync.hub-url to its hub, or start the device from a new database");
            });
            DeviceMeta.putAll(db, Map.of(DeviceMeta.HUB_URL, hub.hub().toString(), DeviceMeta.HUB_NODE, answered));
            if (me.lease().isEmpty()) {
                NodeLeases.lease(db, hub);
            }
            hubNode = answered;
            return answered;
        }
    }

    String known() {
        return hubNode;
    }
}
