package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns a device added to its tables when its hub's schema gained them, whose values it has not
 * taken from the hub yet (DESIGN §10: a device never overwrites a column it does not know with NULL). Its
 * rows hold NULL there until {@link NewColumnFill} writes the hub's values in; meanwhile a row it pushes
 * leaves such a column out where it is NULL here, and the hub keeps its own value (a hub takes a row
 * without some columns as a write of the others). Kept in {@code _shuttle_meta}, one key per table,
 * written in the transaction that adds the columns, so an interrupted sync fills them the next time.
 * Internal.
 */
public final class NewColumns {
    private static final String KEY = "column_fill:";

    private NewColumns() {}

    /** Notes that {@code table} gained {@code columns} whose values are the hub's to give. */
    public static void add(Connection c, String table, Collection<String> columns) throws SQLException {
        if (columns.isEmpty()) {
            return;
        }
        Set<String> all = new LinkedHashSet<>(of(c, table));
        if (all.addAll(columns)) {
            Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = ?", KEY + table);
            Jdbc.update(c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", KEY + table, String.join("\n", all));
        }
    }

    /** The tables with columns not filled yet, and those columns. */
    public static Map<String, Set<String>> pending(Connection c) throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT key, value FROM _shuttle_meta WHERE key LIKE ? ORDER BY key")) {
            ps.setString(1, KEY + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String value = rs.getString(2);
                    if (value != null && !value.isEmpty()) {
                        out.put(
                                rs.getString(1).substring(KEY.length()),
                                new LinkedHashSet<>(Arrays.asList(value.split("\n"))));
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> of(Connection c, String table) throws SQLException {
        return Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = ?", KEY + table)
                .filter(v -> !v.isEmpty())
                .<Set<String>>map(v -> new LinkedHashSet<>(Arrays.asList(v.split("\n"))))
                .orElse(Set.of());
    }

    /** The table's new columns hold the hub's values now. */
    public static void filled(Connection c, String table) throws SQLException {
        Jdbc.update(c, "DELETE FROM _shuttle_meta WHERE key = ?", KEY + table);
    }

    /**
     * The changes as they may leave this device: a row of a table with columns not filled yet goes
     * without those of them that are NULL here (and without their column stamps), so the receiver keeps
     * its values.
     */
    public static List<Change> withoutUnfilled(List<Change> changes, Map<String, Set<String>> pending) {
        if (pending.isEmpty()) {
            return changes;
        }
        List<Change> out = new ArrayList<>(changes.size());
        for (Change ch : changes) {
            Set<String> cols = pending.get(ch.table());
            out.add(cols == null || ch.isDelete() ? ch : without(ch, cols));
        }
        return out;
    }

    private static Change without(Change ch, Set<String> cols) {
        boolean any = false;
        for (String col : cols) {
            if (ch.values().containsKey(col) && ch.values().get(col) == null) {
                any = true;
                break;
            }
        }
        if (!any) {
            return ch;
        }
        Map<String, Object> values = new LinkedHashMap<>(ch.values());
        Map<String, Stamp> stamps = new LinkedHashMap<>(ch.columnStamps());
        for (String col : cols) {
            if (values.containsKey(col) && values.get(col) == null) {
                values.remove(col);
                stamps.remove(col);
            }
        }
        return new Change(
                ch.table(), ch.key(), ch.op(), values, ch.hlc(), ch.origin(), ch.version(), ch.base(), stamps);
    }
}
