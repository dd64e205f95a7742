package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times a table was taken again after a destructive change of it ({@code _shuttle_meta}): on a
 * hub, its own count, served in {@code /v1/schema}; on a device, the count of its hub's table it holds
 * rows of. A device that sees its hub's count move clones that table again. Internal.
 */
public final class TableGenerations {
    private static final String HUB = "table_generation:";
    private static final String FOLLOWED = "hub_table_generation:";

    private TableGenerations() {}

    /** The hub's generations, by table (tables never taken again are left out). */
    public static Map<String, Long> ofHub(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        MetaKeys.withPrefix(c, HUB).forEach((table, value) -> out.put(table, Long.parseLong(value)));
        return out;
    }

    /** Counts one more taking of {@code table} on this hub; returns the new generation. */
    static long bump(Connection c, String table) throws SQLException {
        long next = get(c, HUB + table) + 1;
        set(c, HUB + table, next);
        return next;
    }

    /** The generation of its hub's {@code table} this device holds (0: the first). */
    public static long followed(Connection c, String table) throws SQLException {
        return get(c, FOLLOWED + table);
    }

    public static void follow(Connection c, String table, long generation) throws SQLException {
        set(c, FOLLOWED + table, generation);
    }

    private static long get(Connection c, String key) throws SQLException {
        return MetaKeys.getLong(c, key).orElse(0L);
    }

    private static void set(Connection c, String key, long value) throws SQLException {
        if (Jdbc.update(c, "UPDATE _shuttle_meta SET value = ? WHERE key = ?", String.valueOf(value), key) == 0) {
            Jdbc.update(c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", key, String.valueOf(value));
        }
    }
}
