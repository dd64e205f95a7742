package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Binds values from outside the sync engine by the type of the column they are written into, so that
 * each lands as that type whatever Java type it arrived as: numbers exactly, booleans into number
 * columns as 1 or 0 and numbers into boolean columns as {@code <> 0}, dates and date-times converted
 * between the date and timestamp types (a date-time without a zone taken as UTC, never as the
 * session's time zone), and everything else as text that the server reads as the column's type
 * (uuid, json, enums, intervals, ...), exactly as {@code psql} would.
 */
final class PostgresParameters {
    private PostgresParameters() {}

    static void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
            return;
        }
        switch (column.jdbcType()) {
            case Types.BIGINT, Types.NUMERIC, Types.DOUBLE -> number(ps, index, column, value);
            case Types.BOOLEAN -> bool(ps, index, column, value);
            case Types.TIMESTAMP_WITH_TIMEZONE -> temporal(ps, index, column, value, offsetDateTime(value));
            case Types.TIMESTAMP -> temporal(ps, index, column, value, localDateTime(value));
            case Types.DATE -> temporal(ps, index, column, value, localDate(value));
            default -> text(ps, index, column, value);
        }
    }

    private static void number(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        switch (value) {
            case Long l -> ps.setLong(index, l);
            case BigDecimal d -> ps.setBigDecimal(index, d);
            case Boolean b -> ps.setLong(index, b ? 1 : 0);
            default -> text(ps, index, column, value);
        }
    }

    private static void bool(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        switch (value) {
            case Boolean b -> ps.setBoolean(index, b);
            case Long l -> ps.setBoolean(index, l != 0);
            case BigDecimal d -> ps.setBoolean(index, d.signum() != 0);
            default -> text(ps, index, column, value);
        }
    }

    private static void temporal(PreparedStatement ps, int index, Column column, Object value, Object converted)
            throws SQLException {
        if (converted == null) {
            text(ps, index, column, value);
        } else {
            ps.setObject(index, converted);
        }
    }

    private static OffsetDateTime offsetDateTime(Object value) {
        return switch (value) {
            case Instant t -> t.atOffset(ZoneOffset.UTC);
            case LocalDateTime t -> t.atOffset(ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay().atOffset(ZoneOffset.UTC);
            case OffsetDateTime t -> t;
            default -> null;
        };
    }

    private static LocalDateTime localDateTime(Object value) {
        return switch (value) {
            case LocalDateTime t -> t;
            case Instant t -> LocalDateTime.ofInstant(t, ZoneOffset.UTC);
            case LocalDate d -> d.atStartOfDay();
            default -> null;
        };
    }

    private static LocalDate localDate(Object value) {
        return switch (value) {
            case LocalDate d -> d;
            case LocalDateTime t -> t.toLocalDate();
            case Instant t -> LocalDate.ofInstant(t, ZoneOffset.UTC);
            default -> null;
        };
    }

    /** Character columns take the text as it is; any other type reads it as its own input syntax. */
    private static void text(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        String text = value instanceof BigDecimal d ? d.toPlainString() : value.toString();
        if (character(column)) {
            ps.setString(index, text);
        } else {
            ps.setObject(index, text, Types.OTHER);
        }
    }

    private static boolean character(Column column) {
        return switch (DeclaredTypes.base(column.declaredType())) {
            case "text", "character varying", "character" -> true;
            default -> false;
        };
    }
}
