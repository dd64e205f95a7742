package io.shuttlebridge.core.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The small facts the engine keeps in {@code _shuttle_meta}, a text value by key, read and written in the
 * caller's transaction. A prefix is matched as SQL {@code LIKE} takes it (a {@code _} in it matches any
 * character). Internal API.
 */
public final class MetaKeys {
    private MetaKeys() {}

    /** The value kept under {@code key}, if any. */
    public static Optional<String> get(Connection c, String key) throws SQLException {
        return Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = ?", key);
    }

    /** The number kept under {@code key}, if any. */
    public static Optional<Long> getLong(Connection c, String key) throws SQLException {
        return get(c, key).map(Long::parseLong);
    }

    /** Keeps {@code value} under {@code key}, in place of what was there. */
    public static void put(Connection c, String key, String value) throws SQLException {
        remove(c, key);
        Jdbc.update(c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", key, value);
    }

    /**
     * The names kept under {@code key} by {@link #putSet}, in the order kept (a set of the caller's own); none
     * when the key is absent or its value empty.
     */
    public static Set<String> set(Connection c, String key) throws SQLException {
        return setOf(get(c, key).orElse(""));
    }

    /**
     * The names of a value written by {@link #putSet}, one a line, in order; none when it is empty (a line of
     * its own after the last is not one).
     */
    public static Set<String> setOf(String value) {
        Set<String> out = new LinkedHashSet<>();
        if (!value.isEmpty()) {
            out.addAll(Arrays.asList(value.split("\n")));
        }
        return out;
    }

    /** Keeps {@code names} under {@code key}, one a line, in place of what was there ({@link #set} reads them). */
    public static void putSet(Connection c, String key, Collection<String> names) throws SQLException {
        put(c, key, String.join("\n", names));
    }

    /** Removes {@code keys} (one statement). */
    public static void remove(Connection c, String... keys) throws SQLException {
        if (keys.length == 1) {
            Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = ?", (Object[]) keys);
        } else if (keys.length > 1) {
            String marks = String.join(", ", Collections.nCopies(keys.length, "?"));
            Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key IN (" + marks + ")", (Object[]) keys);
        }
    }

    /** The values of the keys starting with {@code prefix}, by the rest of their key, in key order. */
    public static Map<String, String> withPrefix(Connection c, String prefix) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT key, value FROM _shuttle_meta WHERE key LIKE ? ORDER BY key")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1).substring(prefix.length()), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** Whether some key starts with {@code prefix}. */
    public static boolean anyWithPrefix(Connection c, String prefix) throws SQLException {
        return Jdbc.queryString(c, "SELECT key FROM _shuttle_meta WHERE key LIKE ? LIMIT 1", prefix + "%")
                .isPresent();
    }

    /** Removes the keys starting with {@code prefix}. */
    public static void removePrefix(Connection c, String prefix) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key LIKE ?", prefix + "%");
    }
}
