package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.schema.Column;
import java.sql.Types;
import java.util.Locale;

/**
 * The families of MariaDB column types, from the declared type as {@code information_schema} spells it
 * ({@code int(11)}, {@code bigint(20) unsigned}, {@code tinyint(1)}, {@code decimal(12,2)}, {@code
 * enum('a','b')}):
 *
 * <table>
 *   <caption>MariaDB type, family ({@link Types}), value on a SQLite device</caption>
 *   <tr><td>tinyint(1), boolean, bit(1)</td><td>BOOLEAN</td><td>0 or 1</td></tr>
 *   <tr><td>tinyint .. bigint, signed or not (but bigint unsigned), year</td><td>BIGINT</td><td>64-bit integer</td></tr>
 *   <tr><td>bigint unsigned, decimal</td><td>NUMERIC</td><td>the exact digits as text (2^64-1 does not fit a signed integer)</td></tr>
 *   <tr><td>float, double</td><td>DOUBLE</td><td>double</td></tr>
 *   <tr><td>binary, varbinary, blobs, bit(n)</td><td>BINARY</td><td>bytes</td></tr>
 *   <tr><td>timestamp</td><td>TIMESTAMP_WITH_TIMEZONE</td><td>ISO-8601 in UTC, {@code 2025-01-02T03:04:05.123456Z}</td></tr>
 *   <tr><td>datetime, date, time</td><td>TIMESTAMP, DATE, TIME</td><td>ISO-8601 without a zone</td></tr>
 *   <tr><td>char, varchar, texts, enum, set, json, others</td><td>VARCHAR</td><td>text</td></tr>
 * </table>
 */
final class MariaDbTypes {
    private MariaDbTypes() {}

    /** The type's name without its length, precision, values or attributes: {@code bigint(20) unsigned} is {@code bigint}. */
    static String name(String declared) {
        String t = declared.toLowerCase(Locale.ROOT).trim();
        int end = 0;
        while (end < t.length() && (Character.isLetterOrDigit(t.charAt(end)) || t.charAt(end) == '_')) {
            end++;
        }
        return t.substring(0, end);
    }

    static boolean unsigned(String declared) {
        return declared.toLowerCase(Locale.ROOT).contains("unsigned");
    }

    static int jdbcType(String declared) {
        String d = declared.toLowerCase(Locale.ROOT);
        return switch (name(d)) {
            case "tinyint" -> d.startsWith("tinyint(1)") && !unsigned(d) ? Types.BOOLEAN : Types.BIGINT;
            case "bool", "boolean" -> Types.BOOLEAN;
            case "bit" -> d.equals("bit") || d.startsWith("bit(1)") ? Types.BOOLEAN : Types.BINARY;
            case "smallint", "mediumint", "int", "integer", "year" -> Types.BIGINT;
            case "bigint" -> unsigned(d) ? Types.NUMERIC : Types.BIGINT;
            case "decimal", "numeric", "dec", "fixed" -> Types.NUMERIC;
            case "float", "double", "real" -> Types.DOUBLE;
            case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob" -> Types.BINARY;
            case "timestamp" -> Types.TIMESTAMP_WITH_TIMEZONE;
            case "datetime" -> Types.TIMESTAMP;
            case "date" -> Types.DATE;
            case "time" -> Types.TIME;
            default -> Types.VARCHAR;
        };
    }

    /** Whether values of the column are text compared by a collation (which may ignore case or trailing spaces). */
    static boolean collated(Column c) {
        return switch (name(c.declaredType())) {
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json" -> true;
            default -> false;
        };
    }
}
