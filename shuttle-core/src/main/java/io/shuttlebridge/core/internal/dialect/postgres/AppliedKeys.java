package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.ApplyBracket.AppliedEntry;
import io.shuttlebridge.core.internal.schema.Column;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The stored forms of applied entries' keys: computed in Java when that is certain, otherwise by the
 * database's own key expression, one statement per table over all of its keys.
 */
final class AppliedKeys {
    private final PostgresKeys keys;

    AppliedKeys(PostgresKeys keys) {
        this.keys = keys;
    }

    /** The stored key of every entry, in the order of the entries. */
    String[] of(Connection c, List<AppliedEntry> entries) throws SQLException {
        String[] out = new String[entries.size()];
        Map<SyncedTable, List<Integer>> unknown = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            AppliedEntry e = entries.get(i);
            Object known = keys.storedKey(e.table(), e.key());
            if (known != null) {
                out[i] = known.toString();
            } else {
                unknown.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(i);
            }
        }
        for (var u : unknown.entrySet()) {
            SyncedTable t = u.getKey();
            List<Column> key = PostgresKeys.keyColumns(t);
            if (key.stream().allMatch(PgArrays::scalar)) {
                byArrays(c, t, key, entries, u.getValue(), out);
            } else {
                for (int i : u.getValue()) {
                    out[i] = one(c, t, entries.get(i).key());
                }
            }
        }
        return out;
    }

    /** The stored keys of the entries at {@code indexes}, all of table {@code t}, in one statement. */
    private void byArrays(
            Connection c,
            SyncedTable t,
            List<Column> key,
            List<AppliedEntry> entries,
            List<Integer> indexes,
            String[] out)
            throws SQLException {
        List<String> names = new ArrayList<>();
        for (int k = 0; k < key.size(); k++) {
            names.add("k" + k);
        }
        String sql = "SELECT " + keys.key(t, names.stream().map(n -> "u." + n).toList()) + " FROM unnest("
                + key.stream().map(PgArrays::parameter).collect(Collectors.joining(", "))
                + ") WITH ORDINALITY AS u(" + String.join(", ", names) + ", rn) ORDER BY u.rn";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int k = 0; k < key.size(); k++) {
                String[] parts = new String[indexes.size()];
                for (int j = 0; j < parts.length; j++) {
                    parts[j] = PgArrays.text(entries.get(indexes.get(j)).key().get(k));
                }
                ps.setArray(k + 1, PgArrays.texts(c, parts));
            }
            try (ResultSet rs = ps.executeQuery()) {
                for (int i : indexes) {
                    rs.next();
                    out[i] = rs.getString(1);
                }
            }
        }
    }

    /** The stored form of one key by the database's own expression. */
    private String one(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + keys.keyParameterExpression(t))) {
            for (int i = 0; i < key.size(); i++) {
                ps.setObject(i + 1, key.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
