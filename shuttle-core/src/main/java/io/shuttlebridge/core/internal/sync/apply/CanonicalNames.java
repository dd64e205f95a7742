package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Names in changes as this replica spells them. A SQLite device keeps a table created as {@code Note}
 * with its capital while PostgreSQL folds the same unquoted DDL to {@code note} (and the same for
 * columns), so a change names its table and columns as the replica that wrote it spells them. A name
 * this replica does not have is matched without regard to case when exactly one of its tables (or of
 * the table's columns) has it; anything else is left for the batch check to name. Internal.
 */
final class CanonicalNames {
    private CanonicalNames() {}

    /** {@code changes} with their table and column names spelt as {@code schema} spells them; the same list when they already are. */
    static List<Change> of(SyncSchema schema, List<Change> changes) {
        List<Change> out = null;
        Map<String, SyncedTable> folded = null;
        for (int i = 0; i < changes.size(); i++) {
            Change c = changes.get(i);
            SyncedTable t = schema.table(c.table()).orElse(null);
            if (t == null) {
                if (folded == null) {
                    folded = fold(schema);
                }
                t = folded.get(c.table().toLowerCase(Locale.ROOT));
            }
            Change canonical = t == null ? c : canonical(t, c);
            if (canonical != c && out == null) {
                out = new ArrayList<>(changes.subList(0, i));
            }
            if (out != null) {
                out.add(canonical);
            }
        }
        return out == null ? changes : out;
    }

    private static Map<String, SyncedTable> fold(SyncSchema schema) {
        Map<String, SyncedTable> out = new HashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (SyncedTable t : schema.tables()) {
            String k = t.name().toLowerCase(Locale.ROOT);
            out.put(k, t);
            seen.merge(k, 1, Integer::sum);
        }
        seen.forEach((k, n) -> {
            if (n > 1) {
                out.remove(k); // two tables differ only by case: no guessing
            }
        });
        return out;
    }

    private static Change canonical(SyncedTable t, Change c) {
        List<String> columns = t.replicatedColumns();
        boolean namesMatch = c.table().equals(t.name());
        for (String col : c.values().keySet()) {
            if (!columns.contains(col)) {
                namesMatch = false;
                break;
            }
        }
        if (namesMatch) {
            return c;
        }
        Map<String, String> byFolded = new HashMap<>();
        for (String col : columns) {
            byFolded.merge(col.toLowerCase(Locale.ROOT), col, (a, b) -> null);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        c.values().forEach((col, v) -> values.put(spelt(col, columns, byFolded), v));
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        c.columnStamps().forEach((col, s) -> stamps.put(spelt(col, columns, byFolded), s));
        return new Change(t.name(), c.key(), c.op(), values, c.hlc(), c.origin(), c.version(), c.base(), stamps);
    }

    private static String spelt(String col, List<String> columns, Map<String, String> byFolded) {
        if (columns.contains(col)) {
            return col;
        }
        String mine = byFolded.get(col.toLowerCase(Locale.ROOT));
        return mine != null ? mine : col;
    }
}
