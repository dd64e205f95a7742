package io.shuttlebridge.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small JDBC conveniences used across the core. Internal API. */
public final class Jdbc {
    private Jdbc() {}

    /**
     * Runs {@code work} in one transaction on {@code c}: committed when it returns, rolled back when it throws
     * (a failing rollback kept as suppressed); auto-commit is back on after it.
     */
    public static <T> T inTransaction(Connection c, io.shuttlebridge.core.ShuttleDatabase.SqlWork<T> work)
            throws SQLException {
        c.setAutoCommit(false);
        try {
            T result = work.run(c);
            c.commit();
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                c.rollback();
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    public static Optional<Long> queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(v);
            }
        }
    }

    public static Optional<String> queryString(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    public static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            set(ps, i + 1, args[i]);
        }
    }

    /** {@code setObject} with the common value kinds set through their own setters (what drivers do, without the type dispatch). */
    public static void set(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof Long l) {
            ps.setLong(index, l);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else if (value instanceof Integer n) {
            ps.setInt(index, n);
        } else {
            ps.setObject(index, value);
        }
    }

    /** Every row of a result set as column label to value, each read by {@link #readValue} (integers as {@code Long}). */
    public static List<Map<String, Object>> rowMaps(ResultSet rs) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        var md = rs.getMetaData();
        int n = md.getColumnCount();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= n; i++) {
                row.put(md.getColumnLabel(i), readValue(rs, i));
            }
            rows.add(row);
        }
        return rows;
    }

    /**
     * Reads a column as one of the value kinds that travel between replicas: Long, Double, String,
     * byte[], BigDecimal, Boolean or null. Narrower numbers are widened; values of other kinds
     * (PostgreSQL timestamps, dates, uuids, json, ...) become ISO-8601 or the database's own text:
     * timestamps with time zone as UTC with an offset ({@code 2025-01-02T03:04:05.123Z}),
     * timestamps without one as local date-times, never through a JVM time zone.
     */
    public static Object readValue(ResultSet rs, int index) throws SQLException {
        Object v = rs.getObject(index);
        if (v == null
                || v instanceof Long
                || v instanceof String
                || v instanceof byte[]
                || v instanceof Double
                || v instanceof BigDecimal
                || v instanceof Boolean) {
            return v;
        }
        if (v instanceof Integer i) {
            return i.longValue();
        }
        if (v instanceof Short s) {
            return s.longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigInteger b) {
            return new BigDecimal(b); // MariaDB's BIGINT UNSIGNED, beyond a long
        }
        if (v instanceof Timestamp) {
            var md = rs.getMetaData();
            String type = md.getColumnTypeName(index);
            if ("timestamptz".equalsIgnoreCase(type)) {
                return rs.getObject(index, OffsetDateTime.class).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            }
            if ("TIMESTAMP".equals(type) && md.getClass().getName().startsWith("org.mariadb.")) {
                // MariaDB's TIMESTAMP is an instant, read in the engine's session time zone, UTC
                return rs.getObject(index, LocalDateTime.class)
                        .atOffset(ZoneOffset.UTC)
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            }
            return rs.getObject(index, LocalDateTime.class).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        }
        if (v instanceof Date) {
            return rs.getObject(index, LocalDate.class).toString();
        }
        return rs.getString(index);
    }
}
