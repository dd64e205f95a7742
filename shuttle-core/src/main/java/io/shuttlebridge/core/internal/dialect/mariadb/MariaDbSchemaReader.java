package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Schema discovery on MariaDB from {@code information_schema}, in the connection's database ({@code
 * database()}); names are passed as values, never as SQL text. A column's declared type is MariaDB's
 * own {@code COLUMN_TYPE} ({@code decimal(12,2)}, {@code bigint(20) unsigned}, {@code enum('a','b')});
 * generated columns, which cannot be written, are left out; foreign keys to tables of other databases are
 * not followed.
 */
final class MariaDbSchemaReader {
    private static final String TABLES = """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = database() AND table_type = 'BASE TABLE' AND left(table_name, 9) <> '_shuttle_'
            ORDER BY table_name""";

    private static final String HAS_TABLE = """
            SELECT 1 FROM information_schema.tables
            WHERE table_schema = database() AND table_type = 'BASE TABLE' AND table_name = ?""";

    private static final String COLUMNS = """
            SELECT c.column_name, c.column_type, c.data_type, c.is_nullable, k.ordinal_position
            FROM information_schema.columns c
              LEFT JOIN information_schema.key_column_usage k ON k.table_schema = c.table_schema
                AND k.table_name = c.table_name AND k.column_name = c.column_name AND k.constraint_name = 'PRIMARY'
            WHERE c.table_schema = database() AND c.table_name = ? AND coalesce(c.is_generated, 'NEVER') = 'NEVER'
            ORDER BY c.ordinal_position""";

    private static final String FOREIGN_KEYS = """
            SELECT constraint_name, column_name, referenced_table_name, referenced_column_name
            FROM information_schema.key_column_usage
            WHERE table_schema = database() AND table_name = ? AND referenced_table_name IS NOT NULL
              AND referenced_table_schema = database()
            ORDER BY constraint_name, ordinal_position""";

    private MariaDbSchemaReader() {}

    static List<String> listTables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(TABLES);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        names.sort(null);
        return names;
    }

    static boolean hasTable(Connection c, String name) throws SQLException {
        return Jdbc.queryLong(c, HAS_TABLE, name).isPresent();
    }

    static Table readTable(Connection c, String name) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2).toLowerCase(Locale.ROOT);
                    int pk = rs.getInt(5);
                    columns.add(new Column(
                            rs.getString(1),
                            type,
                            MariaDbTypes.jdbcType(type),
                            "YES".equals(rs.getString(4)) && pk == 0,
                            pk));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND, "table `" + name + "` does not exist in database " + database(c));
        }
        return new Table(name, columns, foreignKeys(c, name));
    }

    private static List<ForeignKey> foreignKeys(Connection c, String name) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(FOREIGN_KEYS)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byName.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        List<ForeignKey> fks = new ArrayList<>();
        for (List<String[]> parts : byName.values()) {
            fks.add(new ForeignKey(
                    name,
                    parts.stream().map(p -> p[0]).toList(),
                    parts.get(0)[1],
                    parts.stream().map(p -> p[2]).toList()));
        }
        return fks;
    }

    private static String database(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT database()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            String db = rs.getString(1);
            if (db == null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "the connection has no database: name one in the JDBC URL (jdbc:mariadb://host/DATABASE)");
            }
            return "`" + db + "`";
        }
    }
}
