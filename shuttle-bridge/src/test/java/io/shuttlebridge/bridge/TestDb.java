package io.shuttlebridge.bridge;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.internal.dialect.Dialects;
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

/**
 * A target database for tests, a SQLite file, a fresh PostgreSQL database ({@link Postgres}: embedded, or
 * the server named by {@code SHUTTLE_TEST_PG_URL}) or a fresh MariaDB database ({@link MariaDb}: embedded,
 * or {@code SHUTTLE_TEST_MARIADB_URL}), with write counters fed by triggers on the tables it watches. Its
 * statements run as the engine's own do (on MariaDB through the engine's session, which takes the SQL the
 * tests write for SQLite and PostgreSQL).
 */
final class TestDb {
    final Kind kind;
    /** The SQLite file, or null. */
    final Path file;

    private final String url;

    /** The database products a test can target. */
    enum Kind {
        SQLITE,
        POSTGRES,
        MARIADB;

        /** A new, empty database of this kind; {@code dir} and {@code name} place a SQLite file. */
        TestDb create(Path dir, String name) {
            return switch (this) {
                case SQLITE -> new TestDb(dir.resolve(name));
                case POSTGRES -> postgres();
                case MARIADB -> new TestDb(Kind.MARIADB, MariaDb.freshDatabase());
            };
        }
    }

    /** A new, empty PostgreSQL database. */
    static TestDb postgres() {
        return new TestDb(Kind.POSTGRES, Postgres.freshDatabase());
    }

    TestDb(Path file) {
        this.kind = Kind.SQLITE;
        this.file = file;
        this.url = "jdbc:sqlite:" + file;
    }

    private TestDb(Kind kind, String serverUrl) {
        this.kind = kind;
        this.file = null;
        this.url = serverUrl;
    }

    /** What the Bridge and the command line are given: the file path of a SQLite database, else its JDBC URL. */
    String target() {
        return file != null ? file.toString() : url;
    }

    /** The target with its foreign keys enforced, as an application that relies on them has them. */
    String targetEnforcingForeignKeys() {
        return file != null ? url + "?foreign_keys=on" : url;
    }

    Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url);
        return kind == Kind.MARIADB ? Dialects.forUrl(url).session(c) : c;
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
        if (kind == Kind.SQLITE) {
            exec(
                    "CREATE TABLE IF NOT EXISTS test_writes (tbl TEXT, op TEXT)",
                    "CREATE TRIGGER " + table + "_ins AFTER INSERT ON " + table
                            + " BEGIN INSERT INTO test_writes VALUES ('" + table + "', 'I'); END",
                    "CREATE TRIGGER " + table + "_upd AFTER UPDATE ON " + table
                            + " BEGIN INSERT INTO test_writes VALUES ('" + table + "', 'U'); END",
                    "CREATE TRIGGER " + table + "_del AFTER DELETE ON " + table
                            + " BEGIN INSERT INTO test_writes VALUES ('" + table + "', 'D'); END");
        } else if (kind == Kind.MARIADB) {
            exec(
                    "CREATE TABLE IF NOT EXISTS test_writes (tbl TEXT, op TEXT)",
                    "CREATE TRIGGER " + table + "_ins AFTER INSERT ON " + table
                            + " FOR EACH ROW INSERT INTO test_writes VALUES ('" + table + "', 'I')",
                    "CREATE TRIGGER " + table + "_upd AFTER UPDATE ON " + table
                            + " FOR EACH ROW INSERT INTO test_writes VALUES ('" + table + "', 'U')",
                    "CREATE TRIGGER " + table + "_del AFTER DELETE ON " + table
                            + " FOR EACH ROW INSERT INTO test_writes VALUES ('" + table + "', 'D')");
        } else {
            exec(
                    "CREATE TABLE IF NOT EXISTS test_writes (tbl TEXT, op TEXT)",
                    """
                    CREATE OR REPLACE FUNCTION test_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO test_writes VALUES (TG_TABLE_NAME, left(TG_OP, 1));
                        RETURN NULL;
                    END $$""",
                    "CREATE TRIGGER " + table + "_writes AFTER INSERT OR UPDATE OR DELETE ON " + table
                            + " FOR EACH ROW EXECUTE FUNCTION test_count_write()");
        }
    }

    long writes(String table) {
        return count("SELECT COUNT(*) FROM test_writes WHERE tbl = '" + table + "'");
    }

    /**
     * Logs every insert ({@code +table:key}) and delete ({@code -table:key}) on the table in
     * write_log(seq, entry), in the order the database made them.
     */
    void logWrites(String table, String key) {
        if (kind == Kind.SQLITE) {
            exec(
                    "CREATE TABLE IF NOT EXISTS write_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, entry TEXT)",
                    "CREATE TRIGGER " + table + "_i AFTER INSERT ON " + table
                            + " BEGIN INSERT INTO write_log (entry) VALUES ('+" + table + ":' || NEW." + key
                            + "); END",
                    "CREATE TRIGGER " + table + "_d AFTER DELETE ON " + table
                            + " BEGIN INSERT INTO write_log (entry) VALUES ('-" + table + ":' || OLD." + key
                            + "); END");
        } else if (kind == Kind.MARIADB) {
            exec(
                    "CREATE TABLE IF NOT EXISTS write_log (seq BIGINT AUTO_INCREMENT PRIMARY KEY, entry TEXT)",
                    "CREATE TRIGGER " + table + "_i AFTER INSERT ON " + table
                            + " FOR EACH ROW INSERT INTO write_log (entry) VALUES (CONCAT('+" + table + ":', NEW." + key
                            + "))",
                    "CREATE TRIGGER " + table + "_d AFTER DELETE ON " + table
                            + " FOR EACH ROW INSERT INTO write_log (entry) VALUES (CONCAT('-" + table + ":', OLD." + key
                            + "))");
        } else {
            exec(
                    "CREATE TABLE IF NOT EXISTS write_log (seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                            + " entry TEXT)",
                    """
                    CREATE OR REPLACE FUNCTION test_log_write() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO write_log (entry) VALUES (CASE TG_OP
                            WHEN 'DELETE' THEN '-' || TG_TABLE_NAME || ':' || (to_jsonb(OLD) ->> TG_ARGV[0])
                            ELSE '+' || TG_TABLE_NAME || ':' || (to_jsonb(NEW) ->> TG_ARGV[0]) END);
                        RETURN NULL;
                    END $$""",
                    "CREATE TRIGGER " + table + "_log AFTER INSERT OR DELETE ON " + table
                            + " FOR EACH ROW EXECUTE FUNCTION test_log_write('" + key + "')");
        }
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
