package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Schema discovery for SQLite. Tables come from JDBC {@link DatabaseMetaData}; columns and keys
 * from the {@code pragma_table_xinfo} and {@code pragma_foreign_key_list} table-valued functions
 * with the table name bound as a parameter, so that any name (quotes, spaces, unicode) is read
 * exactly and cannot reach the SQL text.
 */
final class SqliteSchemaReader {
    private SqliteSchemaReader() {}

    static List<String> listTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        DatabaseMetaData md = c.getMetaData();
        try (ResultSet rs = md.getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!isInternal(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    static boolean isInternal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.startsWith("sqlite_") || lower.startsWith("_shuttle_");
    }

    static Table readTable(Connection c, String name) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?) ORDER BY cid")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt("hidden") != 0) {
                        continue; // generated or virtual-table hidden columns cannot be written
                    }
                    String type = rs.getString("type");
                    int pk = rs.getInt("pk");
                    columns.add(new Column(
                            rs.getString("name"), type, jdbcType(type), rs.getInt("notnull") == 0 && pk == 0, pk));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new ShuttleException(ErrorCode.NOT_FOUND, "table \"" + name + "\" does not exist in this database");
        }
        return new Table(name, columns, foreignKeys(c, name));
    }

    private static List<ForeignKey> foreignKeys(Connection c, String name) throws SQLException {
        Map<Integer, List<String[]>> byId = new LinkedHashMap<>();
        Map<Integer, String> parents = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, seq, \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?) ORDER BY id, seq")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int id = rs.getInt("id");
                    parents.put(id, rs.getString("table"));
                    byId.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new String[] {rs.getString("from"), rs.getString("to")});
                }
            }
        }
        List<ForeignKey> fks = new ArrayList<>();
        for (var e : byId.entrySet()) {
            String parent = parents.get(e.getKey());
            List<String> from = e.getValue().stream().map(p -> p[0]).toList();
            List<String> to = e.getValue().stream().map(p -> p[1]).toList();
            if (to.stream().anyMatch(t -> t == null)) {
                // REFERENCES parent without a column list means the parent's primary key
                to = parentKey(c, parent);
            }
            fks.add(new ForeignKey(name, from, parent, to));
        }
        return fks;
    }

    private static List<String> parentKey(Connection c, String parent) throws SQLException {
        List<String> key = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk")) {
            ps.setString(1, parent);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    key.add(rs.getString(1));
                }
            }
        }
        return key;
    }

    /** SQLite's type affinity rules (section 3.1 of its datatype documentation), as a JDBC type. */
    static int jdbcType(String declared) {
        String t = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (t.contains("INT")) {
            return t.contains("BOOL") ? Types.BOOLEAN : Types.BIGINT;
        }
        if (t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT")) {
            return Types.VARCHAR;
        }
        if (t.isEmpty() || t.contains("BLOB")) {
            return Types.BLOB;
        }
        if (t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB")) {
            return Types.DOUBLE;
        }
        if (t.contains("BOOL")) {
            return Types.BOOLEAN;
        }
        if (t.contains("DEC") || t.contains("NUMERIC")) {
            return Types.NUMERIC;
        }
        if (t.contains("TIMESTAMP") || t.contains("DATETIME")) {
            return Types.TIMESTAMP;
        }
        if (t.contains("DATE")) {
            return Types.DATE;
        }
        return Types.NUMERIC;
    }
}
