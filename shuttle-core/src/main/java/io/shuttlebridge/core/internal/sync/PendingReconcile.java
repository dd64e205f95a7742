package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The tables a hub asked this device to reconcile, kept in {@code _shuttle_meta} in the same
 * transaction as the pulled page that asked, so a sync interrupted before reconciling does it the
 * next time. Internal.
 */
final class PendingReconcile {
    private static final String KEY = "reconcile:";

    private PendingReconcile() {}

    static Set<String> get(Connection c, String hubNode) throws SQLException {
        Set<String> out = new LinkedHashSet<>();
        Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = ?", KEY + hubNode)
                .filter(v -> !v.isEmpty())
                .ifPresent(v -> out.addAll(Arrays.asList(v.split("\n"))));
        return out;
    }

    static void add(Connection c, String hubNode, Collection<String> tables) throws SQLException {
        Set<String> all = get(c, hubNode);
        if (all.addAll(tables)) {
            clear(c, hubNode);
            Jdbc.update(
                    c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", KEY + hubNode, String.join("\n", all));
        }
    }

    static void clear(Connection c, String hubNode) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = ?", KEY + hubNode);
    }
}
