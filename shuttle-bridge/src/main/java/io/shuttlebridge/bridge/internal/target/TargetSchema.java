package io.shuttlebridge.bridge.internal.target;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a target table where the connection works: its columns and primary key as the dialect discovers
 * them (with their types, for binding), its unique indexes and foreign keys through JDBC
 * {@link DatabaseMetaData}.
 */
public final class TargetSchema {
    private TargetSchema() {}

    public static TargetTable discover(Connection c, Dialect dialect, String table) {
        try {
            if (!dialect.hasTable(c, table)) {
                throw new ShuttleException(
                        ErrorCode.NOT_FOUND,
                        "target table '" + table + "' does not exist (create it before ingesting)");
            }
            Table read = dialect.readTable(c, table);
            DatabaseMetaData meta = c.getMetaData();
            // the connection's own database and schema: a server's other databases may hold tables of the same name
            String catalog = c.getCatalog();
            String schema = c.getSchema();
            List<List<String>> unique = new ArrayList<>();
            if (read.hasPrimaryKey()) {
                unique.add(read.primaryKey());
            }
            Map<String, List<String>> indexes = new LinkedHashMap<>();
            try (ResultSet rs = meta.getIndexInfo(catalog, schema, table, true, false)) {
                while (rs.next()) {
                    if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
                        indexes.computeIfAbsent(rs.getString("INDEX_NAME"), k -> new ArrayList<>())
                                .add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            unique.addAll(indexes.values());
            return new TargetTable(
                    table, read.columns(), read.primaryKey(), unique, foreignKeys(meta, catalog, schema, table));
        } catch (SQLException e) {
            throw ShuttleException.database("reading the schema of target table " + table, e);
        }
    }

    private static List<TargetTable.ForeignKey> foreignKeys(
            DatabaseMetaData meta, String catalog, String schema, String table) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        Map<String, Boolean> deferrable = new LinkedHashMap<>();
        try (ResultSet rs = meta.getImportedKeys(catalog, schema, table)) {
            while (rs.next()) {
                String name = rs.getString("FK_NAME");
                String key = (name == null || name.isEmpty() ? "fk" : name) + "->" + rs.getString("PKTABLE_NAME");
                byName.computeIfAbsent(key, k -> new ArrayList<>())
                        .add(new String[] {rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")});
                parents.put(key, rs.getString("PKTABLE_NAME"));
                deferrable.put(key, rs.getShort("DEFERRABILITY") != DatabaseMetaData.importedKeyNotDeferrable);
            }
        }
        List<TargetTable.ForeignKey> out = new ArrayList<>();
        for (var e : byName.entrySet()) {
            List<String> cols = e.getValue().stream().map(p -> p[0]).toList();
            List<String> parentCols = e.getValue().stream().map(p -> p[1]).toList();
            out.add(new TargetTable.ForeignKey(cols, parents.get(e.getKey()), parentCols, deferrable.get(e.getKey())));
        }
        return out;
    }
}
