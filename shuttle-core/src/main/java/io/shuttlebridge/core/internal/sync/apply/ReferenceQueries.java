package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The foreign-key lookups of the apply path: does a parent exist, which rows refer to a row; clearing a reference. Internal. */
final class ReferenceQueries {
    private ReferenceQueries() {}

    static List<Object> referencedValues(
            Connection c, Dialect dialect, SyncedTable parent, List<Object> key, List<String> columns)
            throws SQLException {
        if (columns.equals(parent.key())) {
            return key;
        }
        Map<String, Object> row = LocalRow.values(c, dialect, parent, key);
        return row == null ? null : columns.stream().map(row::get).toList();
    }

    static List<List<Object>> referencingKeys(
            Connection c, Dialect dialect, SyncedTable child, List<String> columns, List<Object> values)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT ");
        sql.append(String.join(", ", child.key().stream().map(dialect::quote).toList()))
                .append(" FROM ")
                .append(dialect.quote(child.name()))
                .append(" WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append(dialect.quote(columns.get(i)))
                    .append(" = ?");
        }
        List<List<Object>> keys = new ArrayList<>();
        try (var ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Object> k = new ArrayList<>();
                    for (int i = 1; i <= child.key().size(); i++) {
                        k.add(Jdbc.readValue(rs, i));
                    }
                    keys.add(k);
                }
            }
        }
        return keys;
    }

    static boolean exists(Connection c, Dialect dialect, String table, List<String> columns, List<Object> values)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("SELECT 1 FROM ").append(dialect.quote(table)).append(" WHERE ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append(dialect.quote(columns.get(i)))
                    .append(" = ?");
        }
        return Jdbc.queryLong(c, sql + " LIMIT 1", values.toArray()).isPresent();
    }

    /** Sets the reference {@code columns} of the row {@code key} of {@code child} to null. */
    static void clear(Connection c, Dialect dialect, SyncedTable child, List<String> columns, List<Object> key)
            throws SQLException {
        StringBuilder sql =
                new StringBuilder("UPDATE ").append(dialect.quote(child.name())).append(" SET ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(dialect.quote(columns.get(i))).append(" = NULL");
        }
        sql.append(" WHERE ");
        for (int i = 0; i < child.key().size(); i++) {
            sql.append(i == 0 ? "" : " AND ")
                    .append(dialect.quote(child.key().get(i)))
                    .append(" = ?");
        }
        Jdbc.update(c, sql.toString(), key.toArray());
    }
}
