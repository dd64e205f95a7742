package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
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
 * Schema discovery for PostgreSQL in the connection's {@code current_schema()}. Tables, primary
 * keys and foreign keys come from JDBC {@link DatabaseMetaData} (names passed as values, never as
 * SQL text); columns from {@code pg_attribute} so that the declared type is PostgreSQL's own
 * spelling ({@code format_type}, e.g. {@code numeric(12,2)}, {@code timestamp with time zone}) and
 * generated columns, which cannot be written, are left out.
 */
final class PostgresSchemaReader {
    private static final String COLUMNS = """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped
              AND a.attgenerated = '' ORDER BY a.attnum""";

    private static final String HAS_TABLE = """
            SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relname = ? AND c.relkind IN ('r', 'p')""";

    private PostgresSchemaReader() {}

    static String currentSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_schema()");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            String schema = rs.getString(1);
            if (schema == null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "the connection has no current schema: set search_path (e.g. ?currentSchema=public in the JDBC URL)");
            }
            return schema;
        }
    }

    static List<String> listTables(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rs =
                md.getTables(null, escape(md, currentSchema(c)), "%", new String[] {"TABLE", "PARTITIONED TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (!name.toLowerCase(Locale.ROOT).startsWith("_shuttle_")) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return names;
    }

    static boolean hasTable(Connection c, String name) throws SQLException {
        return Jdbc.queryLong(c, HAS_TABLE, name).isPresent();
    }

    static Table readTable(Connection c, String name) throws SQLException {
        String schema = currentSchema(c);
        DatabaseMetaData md = c.getMetaData();
        Map<String, Integer> keyPositions = new LinkedHashMap<>();
        try (ResultSet rs = md.getPrimaryKeys(null, schema, name)) {
            while (rs.next()) {
                keyPositions.put(rs.getString("COLUMN_NAME"), rs.getInt("KEY_SEQ"));
            }
        }
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    String type = rs.getString(2);
                    int pk = keyPositions.getOrDefault(col, 0);
                    columns.add(new Column(col, type, jdbcType(type), !rs.getBoolean(3) && pk == 0, pk));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND, "table \"" + name + "\" does not exist in schema \"" + schema + "\"");
        }
        return new Table(name, columns, foreignKeys(md, schema, name));
    }

    private static List<ForeignKey> foreignKeys(DatabaseMetaData md, String schema, String name) throws SQLException {
        Map<String, List<String[]>> byName = new LinkedHashMap<>();
        Map<String, String> parents = new LinkedHashMap<>();
        try (ResultSet rs = md.getImportedKeys(null, schema, name)) {
            while (rs.next()) {
                String fk = rs.getString("FK_NAME") + "\u0000" + rs.getString("PKTABLE_SCHEM") + "\u0000"
                        + rs.getString("PKTABLE_NAME");
                parents.put(fk, rs.getString("PKTABLE_NAME"));
                byName.computeIfAbsent(fk, k -> new ArrayList<>()).add(new String[] {
                    String.valueOf(rs.getInt("KEY_SEQ")), rs.getString("FKCOLUMN_NAME"), rs.getString("PKCOLUMN_NAME")
                });
            }
        }
        List<ForeignKey> fks = new ArrayList<>();
        for (var e : byName.entrySet()) {
            List<String[]> parts = new ArrayList<>(e.getValue());
            parts.sort((a, b) -> Integer.compare(Integer.parseInt(a[0]), Integer.parseInt(b[0])));
            fks.add(new ForeignKey(
                    name,
                    parts.stream().map(p -> p[1]).toList(),
                    parents.get(e.getKey()),
                    parts.stream().map(p -> p[2]).toList()));
        }
        return fks;
    }

    private static String escape(DatabaseMetaData md, String pattern) throws SQLException {
        String esc = md.getSearchStringEscape();
        return pattern.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    /** The type family of a PostgreSQL type as {@code format_type} spells it. */
    static int jdbcType(String declared) {
        String t = DeclaredTypes.base(declared);
        return switch (t) {
            case "smallint", "integer", "bigint" -> Types.BIGINT;
            case "boolean" -> Types.BOOLEAN;
            case "real", "double precision" -> Types.DOUBLE;
            case "numeric" -> Types.NUMERIC;
            case "bytea" -> Types.BINARY;
            case "timestamp with time zone" -> Types.TIMESTAMP_WITH_TIMEZONE;
            case "timestamp without time zone" -> Types.TIMESTAMP;
            case "date" -> Types.DATE;
            case "time without time zone" -> Types.TIME;
            case "time with time zone" -> Types.TIME_WITH_TIMEZONE;
            case "text", "character varying", "character", "uuid", "json", "jsonb" -> Types.VARCHAR;
            default -> Types.OTHER;
        };
    }
}
