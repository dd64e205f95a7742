package io.shuttlebridge.core.simulate;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC on a SQLite file, the way an application writes: no Shuttle code involved, foreign
 * keys enforced. Integers are read as {@code Long} so rows compare equal whatever the width.
 */
final class Sql {
    private Sql() {}

    static Connection open(Path file) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
                s.execute("PRAGMA busy_timeout = 5000");
            }
            return c;
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    static void exec(Path file, String... statements) {
        try (Connection c = open(file)) {
            exec(c, file, statements);
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "cannot close " + file + ": " + e.getMessage(), e);
        }
    }

    static void exec(Connection c, Path file, String... statements) {
        try (Statement s = c.createStatement()) {
            boolean batch = statements.length > 1;
            if (batch) {
                s.execute("BEGIN IMMEDIATE");
            }
            for (String q : statements) {
                s.execute(q);
            }
            if (batch) {
                s.execute("COMMIT");
            }
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "simulated write on " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
    }

    static List<Map<String, Object>> query(Connection c, Path file, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return io.shuttlebridge.core.internal.Jdbc.rowMaps(rs);
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "query on " + file.getFileName() + " failed: " + e.getMessage(), e);
        }
    }
}
