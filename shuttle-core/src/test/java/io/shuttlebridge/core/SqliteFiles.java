package io.shuttlebridge.core;

import io.shuttlebridge.core.internal.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** Plain-JDBC access to SQLite files for tests: no Shuttle code involved, like another program would write. */
public final class SqliteFiles {
    private SqliteFiles() {}

    public static Connection plain(Path file) {
        try {
            return DriverManager.getConnection("jdbc:sqlite:" + file);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements on a fresh plain connection (auto-commit). */
    public static void exec(Path file, String... sql) {
        try (Connection c = plain(file);
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Map<String, Object>> query(Path file, String sql) {
        try (Connection c = plain(file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return Jdbc.rowMaps(rs);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long count(Path file, String sql) {
        return ((Number) query(file, sql).get(0).values().iterator().next()).longValue();
    }
}
