package io.shuttlebridge.bench.hub;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Statements run on a plain connection of a benchmark's hub server, in auto-commit mode. */
final class BenchSql {
    private BenchSql() {}

    static void exec(String jdbcUrl, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
