package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Small JDBC helpers shared by the stores. */
public final class Sql {
    private Sql() {}

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    public static <T> T run(String doing, Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw ShuttleException.database(doing, e);
        }
    }

    /**
     * Runs the work and ends the transaction (commit, or rollback when it fails), so that no lock or
     * read snapshot is held between calls: other connections to the database can write and checkpoint.
     */
    public static <T> T ending(Connection c, String doing, Work<T> work) {
        try {
            T out = work.run();
            c.commit();
            return out;
        } catch (SQLException e) {
            rollbackQuietly(c, e);
            throw ShuttleException.database(doing, e);
        } catch (RuntimeException e) {
            rollbackQuietly(c, e);
            throw e;
        }
    }

    private static void rollbackQuietly(Connection c, Exception cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    public static PreparedStatement bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setString(i + 1, t.toString());
            } else {
                ps.setObject(i + 1, a);
            }
        }
        return ps;
    }

    public static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args)) {
            return ps.executeUpdate();
        }
    }

    public static long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql), args);
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    public static long insertReturningId(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = bind(c.prepareStatement(sql, new String[] {"id"}), args)) {
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                if (!keys.next()) {
                    throw new SQLException("no generated id returned");
                }
                return keys.getLong(1);
            }
        }
    }

    public static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }

    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
