package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Optional;

/** What a device remembers about its hub in {@code _shuttle_meta}: url, node, lease, bootstrap state. */
public final class DeviceMeta {
    public static final String HUB_URL = "hub_url";
    public static final String HUB_NODE = "hub_node";
    public static final String DEVICE_KEY = "device_key";
    public static final String SHORT_ID = "lease_short_id";
    public static final String LEASE_EXPIRES = "lease_expires_at";
    public static final String BOOTSTRAPPED = "bootstrapped";

    private DeviceMeta() {}

    public static Optional<String> get(ShuttleDatabase db, String key) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT value FROM _shuttle_meta WHERE key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    public static void put(ShuttleDatabase db, String key, String value) {
        db.transaction(c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM _shuttle_meta WHERE key = ?");
                    PreparedStatement ins =
                            c.prepareStatement("INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)")) {
                del.setString(1, key);
                del.executeUpdate();
                ins.setString(1, key);
                ins.setString(2, value);
                ins.executeUpdate();
            }
            return null;
        });
    }
}
