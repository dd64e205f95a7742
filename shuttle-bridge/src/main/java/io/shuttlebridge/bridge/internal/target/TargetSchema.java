package io.shuttlebridge.bridge.internal.target;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads a target table's columns, keys and foreign keys through JDBC {@link DatabaseMetaData}.
 * Kept in this one class so that core's schema discovery can replace it.
 */
public final class TargetSchema {
    private TargetSchema() {}

    public static TargetTable discover(Connection c, String table) {
        try {
            DatabaseMetaData meta = c.getMetaData();
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = meta.getColumns(null, null, table, null)) {
                while (rs.next()) {
                    columns.add(rs.getString("COLUMN_NAME"));
                }
            }
            if (columns.isEmpty()) {
                throw new ShuttleException(
                        ErrorCode.NOT_FOUND,
                        "target table '" + table + "' does not exist (create it before ingesting)");
            }
            Map<Integer, String> pk = new TreeMap<>();
            try (ResultSet rs = meta.getPrimaryKeys(null, null, table)) {
                while (rs.next()) {
                    pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            List<List<String>> unique = new ArrayList<>();
            if (!pk.isEmpty()) {
                unique.add(List.copyOf(pk.values()));
            }
            Map<String, List<String>> indexes = new LinkedHashMap<>();
            try (ResultSet rs = meta.getIndexInfo(null, null, table, true, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
                        indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new ArrayList<>())
                                .add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            unique.addAll(indexes.values());
            return new TargetTable(table, columns, List.copyOf(pk.values()), unique, foreignKeys(meta, table));
        } catch (SQLException e) {
            throw ShuttleException.database("reading the schema of target table " + table, e);
        }
    }

    private static List<TargetTable.ForeignKey> foreignKeys(DatabaseMetaData meta, String table) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        try (ResultSet rs = meta.getImportedKeys(null, null, table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                String key = (name == null || name.isEmpty() ? "fk" : name) + "->" + rs.getString("PKTABLE_NAME");
                byName.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new String[] {rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")});
                parents.put(key, rs.getString("PKTABLE_NAME"));
            }
        }
        List<TargetTable.ForeignKey> out = new ArrayList<>();
        for (var e : byName.entrySet()) {
            List<String> cols = e.getValue().stream().map(p -> p[0]).toList();
            List<String> parentCols = e.getValue().stream().map(p -> p[1]).toList();
            out.add(new TargetTable.ForeignKey(e.getKey(), cols, parents.get(e.getKey()), parentCols));
        }
        return out;
    }
}
