package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.MetaKeys;
import java.util.Map;
import java.util.Optional;

/**
 * What a device remembers about its hub in {@code _shuttle_meta}: url, node, lease, bootstrap state, and
 * how far its clock was from the hub's when last measured.
 */
public final class DeviceMeta {
    public static final String HUB_URL = "hub_url";
    public static final String HUB_NODE = "hub_node";
    public static final String DEVICE_KEY = "device_key";
    public static final String SHORT_ID = io.shuttlebridge.core.id.KSortedIds.LEASED_SHORT_ID_KEY;
    public static final String LEASE_EXPIRES = "lease_expires_at";
    public static final String BOOTSTRAPPED = "bootstrapped";
    /** This device's clock minus the hub's, in milliseconds, when last measured ({@code ClockWatch}). */
    public static final String CLOCK_OFFSET = "hub_clock_offset_ms";
    /** When that was measured (ISO-8601, this device's clock). */
    public static final String CLOCK_MEASURED_AT = "hub_clock_measured_at";
    /** The hub's clock skew bound then, in milliseconds. */
    public static final String CLOCK_BOUND = "hub_clock_bound_ms";

    private DeviceMeta() {}

    public static Optional<String> get(ShuttleDatabase db, String key) {
        return db.read(c -> MetaKeys.get(c, key));
    }

    public static void put(ShuttleDatabase db, String key, String value) {
        putAll(db, Map.of(key, value));
    }

    /** Removes the keys, in one transaction. */
    public static void remove(ShuttleDatabase db, String... keys) {
        db.transaction(c -> {
            MetaKeys.remove(c, keys);
            return null;
        });
    }

    /** Sets every key to its value, in one transaction. */
    public static void putAll(ShuttleDatabase db, Map<String, String> values) {
        db.transaction(c -> {
            for (Map.Entry<String, String> e : values.entrySet()) {
                MetaKeys.put(c, e.getKey(), e.getValue());
            }
            return null;
        });
    }
}
