package io.shuttlebridge.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite's 'now' from a simulated clock on the connections prepared, SQLite's own julianday for the rest. */
class SqliteNowTest {
    @TempDir
    Path dir;

    @Test
    void nowIsTheClocksTimeEvenInATriggerAndOtherDatesAreSqlitesOwn() throws SQLException {
        SimulatedClock clock = new SimulatedClock();
        clock.advance(1234);
        long start = SimulatedClock.START.toEpochMilli();
        try (SqliteNow now = new SqliteNow(clock);
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            now.prepare(c);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
                s.execute("CREATE TABLE log (ms INTEGER)");
                s.execute("CREATE TRIGGER t_log AFTER INSERT ON t BEGIN INSERT INTO log"
                        + " VALUES (CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)); END");
                s.execute("INSERT INTO t VALUES (1)");
                clock.advance(1);
                s.execute("INSERT INTO t VALUES (2)");
            }
            assertThat(longs(c, "SELECT ms FROM log ORDER BY rowid")).containsExactly(start + 1234, start + 1235);
            assertThat(number(c, "SELECT julianday('2020-01-01')")).isEqualTo(2458849.5);
            assertThat(number(c, "SELECT julianday('now', 'start of day')")).isEqualTo(2461041.5); // 2026-01-01
            assertThat(number(c, "SELECT julianday()")).isEqualTo(number(c, "SELECT julianday('NOW')"));
            assertThat(number(c, "SELECT julianday('not a date') IS NULL")).isEqualTo(1.0);
        }
    }

    @Test
    void theClockOnlyMovesForwards() {
        SimulatedClock clock = new SimulatedClock();
        clock.advance(0);
        assertThat(clock.millis()).isEqualTo(SimulatedClock.START.toEpochMilli());
        assertThatThrownBy(() -> clock.advance(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double number(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static List<Long> longs(Connection c, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }
}
