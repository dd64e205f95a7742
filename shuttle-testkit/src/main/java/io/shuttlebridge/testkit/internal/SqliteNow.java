package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

/**
 * SQLite's 'now' read from a {@link MillisClock} on the connections it prepares: {@code julianday}
 * is replaced there by a function that answers {@code julianday('now')} (and {@code julianday()})
 * from the clock, which is how the capture triggers and the fold stamp local writes, so a simulation's
 * databases never hold the real time. Any other call is answered by SQLite's own {@code julianday},
 * on an in-memory connection of this object's ({@code 'now'} with modifiers: from the clock's time).
 *
 * <p>Only {@code julianday} is replaced: a schema whose own defaults or triggers read SQLite's
 * clock otherwise ({@code CURRENT_TIMESTAMP}, {@code datetime('now')}) still reads the real time
 * there, and a simulation over it does not repeat bit for bit.
 *
 * <p>Connections that are not SQLite's are left as they are. Thread-safe; close it after the
 * connections it prepared.
 */
public final class SqliteNow implements ShuttleDatabase.ConnectionSetup, AutoCloseable {
    /** The Julian day number of 1970-01-01T00:00:00Z. */
    private static final double UNIX_EPOCH_JD = 2440587.5;

    private static final double MS_PER_DAY = 86_400_000.0;
    private static final int SQLITE_INTEGER = 1;
    private static final int SQLITE_FLOAT = 2;
    private static final int SQLITE_TEXT = 3;
    private static final int SQLITE_BLOB = 4;

    private final MillisClock clock;
    private final Map<Integer, PreparedStatement> builtin = new HashMap<>();
    private Connection plain;

    public SqliteNow(MillisClock clock) {
        this.clock = clock;
    }

    @Override
    public void prepare(Connection c) throws SQLException {
        if (c.isWrapperFor(SQLiteConnection.class)) {
            Function.create(c.unwrap(SQLiteConnection.class), "julianday", new JulianDay());
        }
    }

    /**
     * The clock's time as a Julian day number, half a millisecond into the clock's millisecond: the
     * triggers' {@code CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)} then gives
     * exactly the clock's millisecond, where floating point would sometimes give the one before.
     */
    double julianDayNow() {
        return UNIX_EPOCH_JD + (clock.millis() + 0.5) / MS_PER_DAY;
    }

    /** SQLite's own {@code julianday} of the call's arguments, 'now' as the first one read from the clock. */
    private synchronized void builtinJulianDay(JulianDay call) throws SQLException {
        int n = call.arguments();
        PreparedStatement ps = builtin.get(n);
        if (ps == null) {
            if (plain == null) {
                plain = DriverManager.getConnection("jdbc:sqlite::memory:");
            }
            ps = plain.prepareStatement("SELECT julianday(" + String.join(", ", Collections.nCopies(n, "?")) + ")");
            builtin.put(n, ps);
        }
        for (int i = 0; i < n; i++) {
            call.bind(ps, i);
        }
        try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            double jd = rs.getDouble(1);
            call.answer(rs.wasNull() ? null : jd);
        }
    }

    @Override
    public synchronized void close() {
        builtin.clear();
        if (plain != null) {
            try {
                plain.close(); // and its statements
            } catch (SQLException e) {
                throw new ShuttleException(ErrorCode.DATABASE, "cannot close an in-memory SQLite connection", e);
            } finally {
                plain = null;
            }
        }
    }

    /** The replacement of {@code julianday} on one connection (a function object holds the state of one call at a time). */
    private final class JulianDay extends Function {
        @Override
        protected void xFunc() throws SQLException {
            int n = args();
            if (n == 0 || (n == 1 && isNow(0))) {
                result(julianDayNow());
            } else {
                builtinJulianDay(this);
            }
        }

        int arguments() throws SQLException {
            return args();
        }

        private boolean isNow(int i) throws SQLException {
            return value_type(i) == SQLITE_TEXT && "now".equalsIgnoreCase(value_text(i));
        }

        void bind(PreparedStatement ps, int i) throws SQLException {
            int at = i + 1;
            if (i == 0 && isNow(0)) {
                ps.setDouble(at, julianDayNow());
                return;
            }
            switch (value_type(i)) {
                case SQLITE_INTEGER -> ps.setLong(at, value_long(i));
                case SQLITE_FLOAT -> ps.setDouble(at, value_double(i));
                case SQLITE_TEXT -> ps.setString(at, value_text(i));
                case SQLITE_BLOB -> ps.setBytes(at, value_blob(i));
                default -> ps.setNull(at, Types.NULL);
            }
        }

        void answer(Double jd) throws SQLException {
            if (jd == null) {
                result();
            } else {
                result(jd);
            }
        }
    }
}
