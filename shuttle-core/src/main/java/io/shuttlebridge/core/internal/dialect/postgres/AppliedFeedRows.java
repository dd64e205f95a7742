package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.ApplyBracket.AppliedEntry;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The feed entries of an apply as parameters of one statement: one array per feed column
 * ({@code tbl, pk, op, hlc, scope, origin, version, base, via} and whether the entry is new to the
 * feed), {@code count} entries of which {@code fresh} are new, and the stamp the clock moves to: the
 * highest among them, or the applying engine's clock floor when that is higher.
 */
record AppliedFeedRows(Array[] columns, int count, int fresh, long clockHlc) {

    /**
     * The entries with their stored keys: a row written twice keeps its last entry, in the place of
     * that entry (stored keys are exact), and is new to the feed when its first entry was.
     */
    static AppliedFeedRows of(Connection c, List<AppliedEntry> entries, String[] keys, long clockFloor)
            throws SQLException {
        Map<String, Integer> last = new HashMap<>(keys.length * 2);
        Map<String, Boolean> firstNew = new HashMap<>(); // of rows written more than once
        for (int i = 0; i < keys.length; i++) {
            String row = entries.get(i).table().id() + ":" + keys[i];
            Integer before = last.put(row, i);
            if (before != null) {
                firstNew.putIfAbsent(row, entries.get(before).expectedNew());
            }
        }
        int n = last.size();
        Integer[] tbl = new Integer[n];
        String[] pk = new String[n];
        Integer[] op = new Integer[n];
        Long[] hlc = new Long[n];
        String[] scope = new String[n];
        Integer[] origin = new Integer[n];
        Long[] version = new Long[n];
        Long[] base = new Long[n];
        Integer[] via = new Integer[n];
        Boolean[] isNew = new Boolean[n];
        int fresh = 0;
        long clockHlc = clockFloor;
        int j = 0;
        for (int i = 0; i < keys.length; i++) {
            AppliedEntry e = entries.get(i);
            String row = n < keys.length ? e.table().id() + ":" + keys[i] : null;
            if (row != null && last.get(row) != i) {
                continue;
            }
            tbl[j] = e.table().id();
            pk[j] = keys[i];
            op[j] = e.op();
            hlc[j] = e.hlc();
            scope[j] = e.scope() == null ? null : e.scope().toString();
            origin[j] = e.origin();
            version[j] = e.version();
            base[j] = e.base();
            via[j] = e.via();
            isNew[j] = row == null ? e.expectedNew() : firstNew.getOrDefault(row, e.expectedNew());
            fresh += isNew[j] ? 1 : 0;
            clockHlc = Math.max(clockHlc, e.hlc());
            j++;
        }
        Array[] columns = {
            c.createArrayOf("int4", tbl),
            c.createArrayOf("text", pk),
            c.createArrayOf("int4", op),
            c.createArrayOf("int8", hlc),
            c.createArrayOf("text", scope),
            c.createArrayOf("int4", origin),
            c.createArrayOf("int8", version),
            c.createArrayOf("int8", base),
            c.createArrayOf("int4", via),
            c.createArrayOf("bool", isNew)
        };
        return new AppliedFeedRows(columns, n, fresh, clockHlc);
    }

    /** Runs a feed write: the columns, then the number of entries and the stamp the clock moves to. */
    void write(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.length; i++) {
                ps.setArray(i + 1, columns[i]);
            }
            ps.setLong(columns.length + 1, count);
            ps.setLong(columns.length + 2, clockHlc);
            ps.executeQuery().close();
        }
    }
}
