package io.shuttlebridge.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.shuttlebridge.core.DatabaseException.Failure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real failures of SQLite and PostgreSQL, each read as the kind of failure it is. */
class DatabaseExceptionTest {
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE parent (id INTEGER PRIMARY KEY)",
            "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id),"
                    + " qty INTEGER CHECK (qty > 0))",
            "INSERT INTO parent VALUES (1)",
            "INSERT INTO child VALUES (1, 1, 1)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "INSERT INTO parent VALUES (1) | sqlite | UNIQUE_VIOLATION",
                "INSERT INTO child VALUES (2, 99, 1) | sqlite | FOREIGN_KEY_VIOLATION",
                "DELETE FROM parent | sqlite | FOREIGN_KEY_VIOLATION",
                "INSERT INTO child (id, qty) VALUES (3, 1) | sqlite | CONSTRAINT_VIOLATION",
                "INSERT INTO child VALUES (4, 1, -5) | sqlite | CONSTRAINT_VIOLATION",
                "SELECT * FROM no_such_table | sqlite | OTHER",
                "INSERT INTO parent VALUES ('one') | sqlite | INVALID_VALUE",
                "INSERT INTO parent VALUES (1e999) | sqlite | INVALID_VALUE",
                "INSERT INTO parent VALUES (1) | postgresql | UNIQUE_VIOLATION",
                "INSERT INTO child VALUES (2, 99, 1) | postgresql | FOREIGN_KEY_VIOLATION",
                "DELETE FROM parent | postgresql | FOREIGN_KEY_VIOLATION",
                "INSERT INTO child (id, qty) VALUES (3, 1) | postgresql | CONSTRAINT_VIOLATION",
                "INSERT INTO child VALUES (4, 1, -5) | postgresql | CONSTRAINT_VIOLATION",
                "SELECT * FROM no_such_table | postgresql | OTHER",
                "INSERT INTO parent VALUES ('one') | postgresql | INVALID_VALUE",
                "INSERT INTO parent VALUES (99999999999) | postgresql | INVALID_VALUE",
                "INSERT INTO parent VALUES (true) | postgresql | INVALID_VALUE",
            })
    void integrityFailuresAreToldApart(String statement, String product, Failure expected) throws SQLException {
        String url = product.equals("sqlite") ? "jdbc:sqlite:" + dir.resolve("t.db") : Postgres.freshDatabase();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            if (product.equals("sqlite")) {
                s.execute("PRAGMA foreign_keys = ON");
            }
            for (String ddl : SCHEMA) {
                s.execute(ddl);
            }
            DatabaseException e = wrapped(() -> s.execute(statement));
            assertThat(e.failure()).as(e.getMessage()).isEqualTo(expected);
            assertThat(e.code()).isEqualTo(ErrorCode.DATABASE);
            assertThat(e.getCause()).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void aBusySqliteDatabaseIsATransientFailure() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("busy.db");
        try (Connection holder = DriverManager.getConnection(url);
                Connection other = DriverManager.getConnection(url);
                Statement h = holder.createStatement();
                Statement o = other.createStatement()) {
            h.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            o.execute("PRAGMA busy_timeout = 0");
            holder.setAutoCommit(false);
            h.execute("INSERT INTO t VALUES (1)"); // holds the write lock
            DatabaseException e = wrapped(() -> o.execute("INSERT INTO t VALUES (2)"));
            assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.SERIALIZATION_FAILURE);
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.failure().transientFailure()).isTrue();
            holder.rollback();
        }
    }

    @Test
    void aPostgresSerializationFailureAndALostConnectionAreTransient() throws Exception {
        String url = Postgres.freshDatabase();
        Postgres.exec(url, "CREATE TABLE t (id bigint PRIMARY KEY, n bigint)", "INSERT INTO t VALUES (1, 0)");
        try (Connection a = DriverManager.getConnection(url);
                Connection b = DriverManager.getConnection(url)) {
            for (Connection c : List.of(a, b)) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_SERIALIZABLE);
                c.createStatement().executeQuery("SELECT n FROM t WHERE id = 1").close();
            }
            a.createStatement().executeUpdate("UPDATE t SET n = 1 WHERE id = 1");
            CompletableFuture<DatabaseException> blocked = CompletableFuture.supplyAsync(
                    () -> wrapped(() -> b.createStatement().executeUpdate("UPDATE t SET n = 2 WHERE id = 1")));
            Thread.sleep(200); // b waits for a's row lock
            a.commit();
            DatabaseException e = blocked.get(10, TimeUnit.SECONDS);
            assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.SERIALIZATION_FAILURE);
            assertThat(e.sqlState()).isEqualTo("40001");
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            b.rollback();
        }
        try (Connection victim = DriverManager.getConnection(url);
                Connection killer = DriverManager.getConnection(url)) {
            long pid;
            try (var rs = victim.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getLong(1);
            }
            killer.createStatement().execute("SELECT pg_terminate_backend(" + pid + ")");
            DatabaseException e = wrapped(() -> victim.createStatement().execute("SELECT 1"));
            assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.CONNECTION_LOST);
            assertThat(e.failure().transientFailure()).isTrue();
        }
    }

    /**
     * A statement the PostgreSQL driver prepared on the server, run again in a transaction after the table's
     * column changed type: "cached plan must not change result type", which the driver heals when the work runs
     * again (a hub's pull right after a migration widened a column got a 500 before).
     */
    @Test
    void aPostgresPlanCachedBeforeAColumnChangedIsTransient() throws Exception {
        String url = Postgres.freshDatabase();
        try (Connection app = DriverManager.getConnection(url + "&prepareThreshold=1");
                Connection migration = DriverManager.getConnection(url);
                Statement m = migration.createStatement()) {
            m.execute("CREATE TABLE item (id int PRIMARY KEY, code varchar(8))");
            m.execute("INSERT INTO item VALUES (1, 'a')");
            try (java.sql.PreparedStatement read = app.prepareStatement("SELECT * FROM item")) {
                read.executeQuery().close();
                read.executeQuery().close(); // prepared on the server now
                m.execute("ALTER TABLE item ALTER COLUMN code TYPE varchar(20)");
                app.setAutoCommit(false);
                DatabaseException e = wrapped(() -> read.executeQuery().close());
                assertThat(e.failure()).as(e.getMessage()).isEqualTo(Failure.SERIALIZATION_FAILURE);
                assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                app.rollback();
                read.executeQuery().close(); // the transaction again: the driver prepared it anew
                app.commit();
            }
        }
    }

    @Test
    void vendorCodesOfMySqlAndMariaDbAreReadWhereTheirSqlStateIsShared() {
        assertThat(DatabaseException.classify(new SQLException("Duplicate entry", "23000", 1062)))
                .isEqualTo(Failure.UNIQUE_VIOLATION);
        assertThat(DatabaseException.classify(new SQLException("Cannot add or update a child row", "23000", 1452)))
                .isEqualTo(Failure.FOREIGN_KEY_VIOLATION);
        assertThat(DatabaseException.classify(new SQLException("Column cannot be null", "23000", 1048)))
                .isEqualTo(Failure.CONSTRAINT_VIOLATION);
        assertThat(DatabaseException.classify(new SQLException("Deadlock found", "40001", 1213)))
                .isEqualTo(Failure.SERIALIZATION_FAILURE);
        assertThat(DatabaseException.classify(new SQLException("Incorrect integer value", "HY000", 1366)))
                .isEqualTo(Failure.INVALID_VALUE);
        assertThat(DatabaseException.classify(new SQLException("Lock wait timeout exceeded", "HY000", 1205)))
                .isEqualTo(Failure.SERIALIZATION_FAILURE);
        assertThat(DatabaseException.classify(new SQLException("Something else", "HY000", 1105)))
                .isEqualTo(Failure.OTHER);
    }

    /** A real InnoDB deadlock and a real lock wait timeout, as MariaDB's driver reports them: both worth a retry. */
    @Test
    void mariaDbDeadlocksAndLockWaitTimeoutsAreTransient() throws Exception {
        String url = MariaDb.freshDatabase();
        MariaDb.exec(url, "CREATE TABLE t (id int PRIMARY KEY, v int)", "INSERT INTO t VALUES (1, 0), (2, 0)");
        try (Connection a = MariaDb.connect(url);
                Connection b = MariaDb.connect(url)) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            b.createStatement().execute("SET SESSION innodb_lock_wait_timeout = 1");
            a.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 1");
            DatabaseException timeout =
                    wrapped(() -> b.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 1"));
            assertThat(timeout.failure()).as(timeout.getMessage()).isEqualTo(Failure.SERIALIZATION_FAILURE);
            assertThat(timeout.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            b.rollback();
            b.createStatement().execute("SET SESSION innodb_lock_wait_timeout = 20");
            // a holds row 1 and b row 2; each then asks for the other's
            b.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 2");
            CompletableFuture<DatabaseException> aWaits = CompletableFuture.supplyAsync(() -> {
                try {
                    a.createStatement().executeUpdate("UPDATE t SET v = 1 WHERE id = 2");
                    return null;
                } catch (SQLException e) {
                    return ShuttleException.database("a", e);
                }
            });
            Thread.sleep(300);
            DatabaseException bFails = null;
            try {
                b.createStatement().executeUpdate("UPDATE t SET v = 2 WHERE id = 1");
            } catch (SQLException e) {
                bFails = ShuttleException.database("b", e);
            }
            DatabaseException aFails = aWaits.get(30, TimeUnit.SECONDS);
            DatabaseException deadlock = bFails != null ? bFails : aFails;
            assertThat(deadlock)
                    .as("one of the two is chosen as the deadlock's victim")
                    .isNotNull();
            assertThat(deadlock.failure()).as(deadlock.getMessage()).isEqualTo(Failure.SERIALIZATION_FAILURE);
            a.rollback();
            b.rollback();
        } finally {
            MariaDb.dropDatabase(url);
        }
    }

    @Test
    void aPoolWithNoConnectionFreeInTimeIsATransientFailure() {
        // what HikariCP throws when every connection stays in use for its connection timeout: no SQLState
        DatabaseException e = ShuttleException.database(
                "testing",
                new java.sql.SQLTransientConnectionException(
                        "hub - Connection is not available, request timed out after 5000ms"));
        assertThat(e.failure()).isEqualTo(Failure.CONNECTION_LOST);
        assertThat(e.failure().transientFailure()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(DatabaseException.classify(new java.sql.SQLTransientConnectionException("refused", "23505")))
                .as("a SQLState says more")
                .isEqualTo(Failure.UNIQUE_VIOLATION);
    }

    @Test
    void aBatchFailureIsReadFromItsNextException() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "ZZ000");
        batch.setNextException(new SQLException("duplicate key value", "23505"));
        assertThat(DatabaseException.classify(batch)).isEqualTo(Failure.UNIQUE_VIOLATION);
    }

    private interface Failing {
        void run() throws SQLException;
    }

    private static DatabaseException wrapped(Failing f) {
        SQLException e = catchThrowableOfType(SQLException.class, f::run);
        assertThat((Object) e).as("the statement fails").isNotNull();
        return ShuttleException.database("testing", e);
    }
}
