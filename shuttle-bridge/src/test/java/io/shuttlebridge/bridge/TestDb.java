package io.shuttlebridge.bridge;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A SQLite file for tests, with a write counter fed by triggers on the tables it watches. */
final class TestDb {
    final Path file;

    TestDb(Path file) {
        this.file = file;
    }

    Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + file);
    }

    void exec(String... sql) {
        try (Connection c = open();
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts every insert, update and delete on the table in test_writes (what capture triggers would see). */
    void countWrites(String table) {
        exec(
                "CREATE TABLE IF NOT EXISTS test_writes (tbl TEXT, op TEXT)",
                "CREATE TRIGGER " + table + "_ins AFTER INSERT ON " + table + " BEGIN INSERT INTO test_writes VALUES ('"
                        + table + "', 'I'); END",
                "CREATE TRIGGER " + table + "_upd AFTER UPDATE ON " + table + " BEGIN INSERT INTO test_writes VALUES ('"
                        + table + "', 'U'); END",
                "CREATE TRIGGER " + table + "_del AFTER DELETE ON " + table + " BEGIN INSERT INTO test_writes VALUES ('"
                        + table + "', 'D'); END");
    }

    long writes(String table) {
        return count("SELECT COUNT(*) FROM test_writes WHERE tbl = '" + table + "'");
    }

    long count(String sql) {
        try (Connection c = open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = open();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                out.add(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
