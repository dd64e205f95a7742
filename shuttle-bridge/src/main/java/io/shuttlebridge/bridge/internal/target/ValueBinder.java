package io.shuttlebridge.bridge.internal.target;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.Temporal;
import java.util.Locale;

/**
 * Binds normalized values to statements. SQLite has no date types, so dates and times go in as ISO 8601
 * text there; other databases receive java.time values. Decimals are always bound exactly.
 */
public interface ValueBinder {

    void bind(PreparedStatement ps, int index, Object value) throws SQLException;

    static ValueBinder forConnection(Connection c) {
        try {
            String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            return product.contains("sqlite") ? ValueBinder::bindSqlite : ValueBinder::bindGeneric;
        } catch (SQLException e) {
            return ValueBinder::bindGeneric;
        }
    }

    private static void bindSqlite(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setNull(i, Types.NULL);
            case String s -> ps.setString(i, s);
            case Long l -> ps.setLong(i, l);
            case BigDecimal d -> ps.setString(i, d.toPlainString());
            case Boolean b -> ps.setInt(i, b ? 1 : 0);
            case Temporal t -> ps.setString(i, t.toString());
            default -> ps.setObject(i, v);
        }
    }

    private static void bindGeneric(PreparedStatement ps, int i, Object v) throws SQLException {
        switch (v) {
            case null -> ps.setObject(i, null);
            case BigDecimal d -> ps.setBigDecimal(i, d);
            case Instant t -> ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
            case LocalDate d -> ps.setObject(i, d);
            case LocalDateTime t -> ps.setObject(i, t);
            default -> ps.setObject(i, v);
        }
    }
}
