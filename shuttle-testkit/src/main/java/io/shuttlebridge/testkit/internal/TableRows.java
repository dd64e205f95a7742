package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rows of a synced table as replicas are compared: its replicated columns with normalized
 * values ({@link RowValues}), by normalized primary key, keys in a stable order whatever the
 * database's collation.
 */
public final class TableRows {
    /** Keys in order: numbers by value, then text, then anything else by its text. */
    public static final Comparator<List<Object>> KEY_ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private TableRows() {}

    /** Every row of {@code table} in {@code db}, by key. */
    public static TreeMap<List<Object>, Map<String, Object>> read(ShuttleDatabase db, SyncedTable table) {
        return read(db, table, table.replicatedColumns(), null, List.of());
    }

    /**
     * The {@code columns} of the rows of {@code table} in {@code db} that satisfy {@code where} (SQL with
     * {@code ?} parameters bound to {@code args}; null for every row), by key.
     */
    public static TreeMap<List<Object>, Map<String, Object>> read(
            ShuttleDatabase db, SyncedTable table, List<String> columns, String where, List<Object> args) {
        String sql = "SELECT " + SqlText.columns(columns) + " FROM " + SqlText.quote(table.name())
                + (where == null ? "" : " WHERE " + where);
        return db.read(c -> {
            TreeMap<List<Object>, Map<String, Object>> out = new TreeMap<>(KEY_ORDER);
            try (PreparedStatement s = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    Jdbc.set(s, i + 1, args.get(i));
                }
                ResultSet rs = s.executeQuery();
                for (Map<String, Object> row : Jdbc.rowMaps(rs)) {
                    Map<String, Object> normalized = RowValues.normalize(row);
                    out.put(RowValues.values(normalized, table.key()), normalized);
                }
            }
            return out;
        });
    }

    private static int compare(Object x, Object y) {
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : -1) : 1;
        }
        if (x instanceof Number nx && y instanceof Number ny) {
            return Double.compare(nx.doubleValue(), ny.doubleValue()) != 0
                    ? Double.compare(nx.doubleValue(), ny.doubleValue())
                    : Long.compare(nx.longValue(), ny.longValue());
        }
        int kinds = Integer.compare(kind(x), kind(y));
        return kinds != 0 ? kinds : x.toString().compareTo(y.toString());
    }

    private static int kind(Object v) {
        return v instanceof Number ? 0 : v instanceof String ? 1 : 2;
    }
}
