package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.schema.Column;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Values as they go into MariaDB columns, whatever form they travel in (a SQLite device's 0/1 booleans,
 * exact digits as text, ISO-8601 date-times): booleans and numbers exact, a {@code timestamp} given with a
 * zone or offset turned into UTC (the engine's sessions work in UTC, and a {@code timestamp} is an
 * instant), a {@code datetime} as the local date-time it names (no zone: it is not converted).
 */
final class MariaDbValues {
    private MariaDbValues() {}

    static Object toDatabase(Column c, Object value) {
        if (value == null) {
            return null;
        }
        return switch (c.jdbcType()) {
            case Types.BOOLEAN ->
                switch (value) {
                    case Boolean b -> b ? 1L : 0L;
                    case String s -> s.equals("1") || s.equalsIgnoreCase("true") || s.equalsIgnoreCase("t") ? 1L : 0L;
                    default -> value;
                };
            case Types.NUMERIC, Types.BIGINT -> value instanceof String s ? new BigDecimal(s.trim()) : value;
            case Types.TIMESTAMP_WITH_TIMEZONE -> instantText(c, value);
            case Types.TIMESTAMP -> value instanceof String s ? localText(c, s) : value;
            default -> value;
        };
    }

    static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (isText(column) && value instanceof java.time.temporal.TemporalAccessor) {
            // a date or time into a text column keeps its ISO-8601 form, as on SQLite and PostgreSQL
            ps.setString(index, value.toString());
            return;
        }
        Object v = switch (value) {
            case null -> null;
            case Instant t -> column.jdbcType() == Types.DATE ? LocalDate.ofInstant(t, ZoneOffset.UTC) : utc(t);
            case OffsetDateTime t -> utc(t.toInstant());
            case LocalDateTime t -> column.jdbcType() == Types.DATE ? t.toLocalDate() : t;
            case LocalDate d ->
                column.jdbcType() == Types.TIMESTAMP || column.jdbcType() == Types.TIMESTAMP_WITH_TIMEZONE
                        ? d.atStartOfDay()
                        : d;
            case BigDecimal d when column.jdbcType() == Types.VARCHAR -> d.toPlainString();
            default -> toDatabase(column, value);
        };
        if (v == null) {
            ps.setNull(index, Types.NULL);
        } else if (v instanceof LocalDateTime t) {
            ps.setString(index, t.toString().replace('T', ' '));
        } else if (v instanceof LocalDate d) {
            ps.setString(index, d.toString());
        } else {
            ps.setObject(index, v);
        }
    }

    private static boolean isText(Column c) {
        return switch (c.jdbcType()) {
            case Types.CHAR,
                    Types.VARCHAR,
                    Types.LONGVARCHAR,
                    Types.CLOB,
                    Types.NCHAR,
                    Types.NVARCHAR,
                    Types.LONGNVARCHAR,
                    Types.NCLOB -> true;
            default -> false;
        };
    }

    /** A {@code timestamp} value as UTC text (the session's zone): with a zone or offset converted, without one taken as UTC. */
    private static Object instantText(Column c, Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        String t = s.trim();
        try {
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")) {
                return utc(OffsetDateTime.parse(t).toInstant()).toString().replace('T', ' ');
            }
            return localText(c, t);
        } catch (DateTimeParseException e) {
            throw refused(c, s);
        }
    }

    private static String localText(Column c, String s) {
        try {
            return LocalDateTime.parse(s.trim().replace(' ', 'T')).toString().replace('T', ' ');
        } catch (DateTimeParseException e) {
            throw refused(c, s);
        }
    }

    private static LocalDateTime utc(Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static ShuttleException refused(Column c, String s) {
        return new ShuttleException(
                ErrorCode.INVALID_ARGUMENT,
                "column `" + c.name() + "` (" + c.declaredType() + ") takes a date-time, not '" + s + "'");
    }
}
