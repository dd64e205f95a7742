package io.shuttlebridge.core.internal.schema;

import java.math.BigDecimal;
import java.sql.Types;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * How columns of a PostgreSQL hub become columns of a SQLite device, and how values cross back,
 * so that a round trip PostgreSQL → SQLite → PostgreSQL keeps every value:
 *
 * <table>
 *   <caption>PostgreSQL type, SQLite column, value on the device</caption>
 *   <tr><td>smallint, integer, bigint</td><td>INTEGER</td><td>64-bit integer</td></tr>
 *   <tr><td>boolean</td><td>BOOLEAN (numeric affinity)</td><td>0 or 1</td></tr>
 *   <tr><td>real, double precision</td><td>REAL</td><td>double</td></tr>
 *   <tr><td>numeric, decimal</td><td>TEXT</td><td>the exact digits, e.g. {@code 12.50} (never a double)</td></tr>
 *   <tr><td>bytea</td><td>BLOB</td><td>bytes</td></tr>
 *   <tr><td>timestamp with time zone</td><td>TEXT</td><td>ISO-8601 in UTC with its offset, {@code 2025-01-02T03:04:05.123456Z}</td></tr>
 *   <tr><td>timestamp, date, time</td><td>TEXT</td><td>ISO-8601</td></tr>
 *   <tr><td>uuid, json, jsonb, text, varchar, others</td><td>TEXT</td><td>PostgreSQL's text form</td></tr>
 * </table>
 *
 * Values read from PostgreSQL are already in the device form (see {@code Jdbc.readValue}); values
 * going into PostgreSQL pass through {@link #toPostgres}, and text is typed by the column there.
 */
public final class TypeMapping {
    private TypeMapping() {}

    /** The SQLite column type for a column discovered on PostgreSQL. */
    public static String sqliteColumnType(Column pg) {
        return switch (baseType(pg)) {
            case "smallint", "integer", "bigint" -> "INTEGER";
            case "boolean" -> "BOOLEAN";
            case "real", "double precision" -> "REAL";
            case "bytea" -> "BLOB";
            // other products' types (MariaDB's int, double, blob, ...) by their family
            default ->
                switch (pg.jdbcType()) {
                    case Types.BIGINT -> "INTEGER";
                    case Types.BOOLEAN -> "BOOLEAN";
                    case Types.DOUBLE -> "REAL";
                    case Types.BINARY -> "BLOB";
                    default -> "TEXT";
                };
        };
    }

    /** {@code CREATE TABLE} for a SQLite table shaped like the given PostgreSQL table (primary key included). */
    public static String sqliteCreateTable(Table pg, UnaryOperator<String> quote) {
        StringBuilder sql = new StringBuilder("CREATE TABLE ")
                .append(quote.apply(pg.name()))
                .append(" (");
        for (Column c : pg.columns()) {
            sql.append(quote.apply(c.name()))
                    .append(' ')
                    .append(sqliteColumnType(c))
                    .append(c.nullable() || c.inPrimaryKey() ? "" : " NOT NULL")
                    .append(", ");
        }
        sql.append("PRIMARY KEY (")
                .append(String.join(", ", pg.primaryKey().stream().map(quote).toList()))
                .append("))");
        return sql.toString();
    }

    /** A value as it should be bound into a PostgreSQL column: SQLite's 0/1 booleans become booleans, decimal text exact decimals. */
    public static Object toPostgres(Column pg, Object value) {
        if (value == null) {
            return null;
        }
        return switch (baseType(pg)) {
            case "boolean" ->
                value instanceof Number n
                        ? n.longValue() != 0
                        : value instanceof String s
                                ? Boolean.valueOf(
                                        s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("t"))
                                : value;
            case "numeric" -> value instanceof String s ? new BigDecimal(s.trim()) : value;
            default -> value;
        };
    }

    /** A value as a SQLite device stores it in a column made by {@link #sqliteColumnType}. */
    public static Object toSqlite(Column pg, Object value) {
        if (value instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return value;
    }

    private static String baseType(Column c) {
        return DeclaredTypes.base(c.declaredType()).toLowerCase(Locale.ROOT); // the same string when lower-case already
    }
}
