package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Plain JDBC on a node's database, the way an application writes: no Shuttle code involved, foreign
 * keys enforced. Integers are read as {@code Long} so rows compare equal whatever the width or the
 * database.
 */
final class Sql {
    private static final int SQLITE_CONSTRAINT = 19;

    private Sql() {}

    /**
     * Opens {@code url} (a JDBC URL) prepared by {@code setup} as the node's database connections are;
     * on SQLite with foreign keys on and a busy timeout.
     */
    static Connection open(String url, String name, ShuttleDatabase.ConnectionSetup setup) {
        try {
            Connection c = DriverManager.getConnection(url);
            setup.prepare(c);
            if (isSqlite(c)) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA foreign_keys = ON");
                    s.execute("PRAGMA busy_timeout = 5000");
                }
            } else if (url.startsWith("jdbc:mariadb:") || url.startsWith("jdbc:mysql:")) {
                // the schedules' SQL is written the SQLite/PostgreSQL way (standard quoting, ON CONFLICT): a
                // program configured to read quotes so, its statements given MariaDB's spelling by the dialect
                try (Statement s = c.createStatement()) {
                    s.execute("SET SESSION sql_mode = concat(@@sql_mode, ',ANSI_QUOTES,PIPES_AS_CONCAT')");
                }
                c = io.shuttlebridge.core.internal.dialect.Dialects.forUrl(url).session(c);
            }
            return c;
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "cannot open " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs statements in one transaction (one statement: on its own); on SQLite the transaction
     * takes the write lock first. Returns false, having changed nothing, when the database refused
     * them for a constraint (a NOT NULL, CHECK or UNIQUE the application's schema declares).
     */
    static boolean execUnlessRefused(Connection c, String name, String... statements) {
        try {
            run(c, statements);
            return true;
        } catch (SQLException e) {
            if (isConstraintViolation(e)) {
                return false;
            }
            throw new ShuttleException(ErrorCode.DATABASE, "write on " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs statements in one transaction (one statement: on its own); on SQLite the transaction takes the write lock first. */
    static void exec(Connection c, String name, String... statements) {
        try {
            run(c, statements);
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "write on " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** SQLite's SQLITE_CONSTRAINT result code, or the SQL standard's integrity constraint class. */
    private static boolean isConstraintViolation(SQLException e) {
        return e.getErrorCode() == SQLITE_CONSTRAINT
                || (e.getSQLState() != null && e.getSQLState().startsWith("23"));
    }

    private static void run(Connection c, String... statements) throws SQLException {
        boolean batch = statements.length > 1;
        try (Statement s = c.createStatement()) {
            boolean sqlite = isSqlite(c);
            if (batch) {
                begin(c, s, sqlite);
            }
            try {
                for (String q : statements) {
                    execute(s, q);
                }
                if (batch) {
                    end(c, s, sqlite, true);
                }
            } catch (SQLException e) {
                if (batch) {
                    try {
                        end(c, s, sqlite, false);
                    } catch (SQLException rollbackFailure) {
                        e.addSuppressed(rollbackFailure);
                    }
                }
                throw e;
            }
        }
    }

    /** Runs one statement; a failure names it. */
    private static void execute(Statement s, String sql) throws SQLException {
        try {
            s.execute(sql);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " (in: " + sql + ")", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private static void begin(Connection c, Statement s, boolean sqlite) throws SQLException {
        if (sqlite) {
            s.execute("BEGIN IMMEDIATE");
        } else {
            c.setAutoCommit(false);
        }
    }

    private static void end(Connection c, Statement s, boolean sqlite, boolean commit) throws SQLException {
        if (sqlite) {
            s.execute(commit ? "COMMIT" : "ROLLBACK");
        } else {
            try {
                if (commit) {
                    c.commit();
                } else {
                    c.rollback();
                }
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static boolean isSqlite(Connection c) throws SQLException {
        return c.getMetaData().getURL().startsWith("jdbc:sqlite:");
    }

    static List<Map<String, Object>> query(Connection c, String name, String sql) {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return Jdbc.rowMaps(rs);
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "query on " + name + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Copies the SQLite database in {@code source} into the new file {@code out} as one consistent
     * snapshot ({@code VACUUM INTO}), what a copy of the file at rest holds: nothing marks it.
     */
    static void vacuumInto(Path source, Path out) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source);
                Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 5000");
            s.execute("VACUUM INTO '" + out.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            throw new ShuttleException(
                    ErrorCode.DATABASE, "cannot copy " + source + " into " + out + ": " + e.getMessage(), e);
        }
    }
}
