package io.shuttlebridge.core;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * A database taking part in sync, opened from a SQLite path or a JDBC URL.
 *
 * <p>Opened from a path or URL, work runs on one connection at a time ({@link #read} and {@link
 * #transaction}); SQLite has one writer anyway, and keeping the connection open keeps its page cache
 * warm. Opened over a {@link DataSource} ({@link #of(DataSource)}: a connection pool, the
 * application's or a hub's own), each unit of work borrows a connection, so several run at once: a
 * PostgreSQL hub serves pulls, snapshots and pushes in parallel (the feed's order is kept by the
 * database, as it is for several hub processes). Thread-safe.
 */
public final class ShuttleDatabase implements AutoCloseable {
    static {
        Dialects.installAccess(db -> db.dialect);
    }

    private final String url;
    private final Properties properties;
    private final Dialect dialect;
    private final ConnectionSetup setup;
    private final ReentrantLock lock = new ReentrantLock();
    private final DataSource dataSource;
    private final AutoCloseable onClose;
    private Connection connection;

    private ShuttleDatabase(String url, Properties properties, ConnectionSetup setup) {
        this.url = url;
        this.dialect = Dialects.forUrl(url);
        this.properties = new Properties();
        this.properties.putAll(dialect.connectionProperties());
        this.properties.putAll(properties);
        this.setup = Objects.requireNonNull(setup, "setup");
        this.dataSource = null;
        this.onClose = null;
    }

    private ShuttleDatabase(DataSource dataSource, AutoCloseable onClose) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.onClose = onClose;
        try (Connection c = dataSource.getConnection()) {
            this.url = c.getMetaData().getURL();
        } catch (SQLException e) {
            throw ShuttleException.database("cannot borrow a connection from the data source", e);
        }
        this.dialect = Dialects.forUrl(url);
        this.properties = new Properties();
        this.setup = ConnectionSetup.NONE;
    }

    /**
     * A database whose work borrows connections from {@code dataSource} (a pool), several at once.
     * The pool is the caller's: closing this database does not close it. On PostgreSQL its
     * connections need {@code stringtype=unspecified} (see {@link #driverProperties}).
     */
    public static ShuttleDatabase of(DataSource dataSource) {
        return new ShuttleDatabase(dataSource, null);
    }

    /** {@link #of(DataSource)}, running {@code onClose} (closing a pool made for it, say) when this database is closed. */
    public static ShuttleDatabase of(DataSource dataSource, AutoCloseable onClose) {
        return new ShuttleDatabase(dataSource, Objects.requireNonNull(onClose, "onClose"));
    }

    /** The driver properties the engine needs on connections to {@code jdbcUrl}'s database, for a pool to use. */
    public static Properties driverProperties(String jdbcUrl) {
        Properties p = new Properties();
        p.putAll(Dialects.forUrl(toJdbcUrl(jdbcUrl)).connectionProperties());
        return p;
    }

    /** The data source work borrows connections from, when opened over one ({@link #of(DataSource)}). */
    public java.util.Optional<DataSource> dataSource() {
        return java.util.Optional.ofNullable(dataSource);
    }

    /** Whether work borrows pooled connections and may run in parallel. */
    public boolean pooled() {
        return dataSource != null;
    }

    /**
     * Prepares every connection a {@link ShuttleDatabase} opens before any work runs on it: session
     * settings, or functions registered with the driver (a simulation gives SQLite its own 'now').
     */
    @FunctionalInterface
    public interface ConnectionSetup {
        ConnectionSetup NONE = c -> {};

        void prepare(Connection c) throws SQLException;
    }

    /** Opens a database given as a file path (SQLite) or a JDBC URL. */
    public static ShuttleDatabase open(String pathOrUrl) {
        return open(pathOrUrl, new Properties());
    }

    public static ShuttleDatabase open(String pathOrUrl, Properties properties) {
        return open(pathOrUrl, properties, ConnectionSetup.NONE);
    }

    /** Opens a database whose connections {@code setup} prepares as they are opened. */
    public static ShuttleDatabase open(String pathOrUrl, Properties properties, ConnectionSetup setup) {
        return new ShuttleDatabase(toJdbcUrl(pathOrUrl), properties, setup);
    }

    public static ShuttleDatabase sqlite(Path file) {
        return open(file.toString());
    }

    /** A file path becomes a {@code jdbc:sqlite:} URL; a JDBC URL is kept as it is. */
    public static String toJdbcUrl(String pathOrUrl) {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "a database is required: a SQLite file path or a JDBC URL");
        }
        return pathOrUrl.startsWith("jdbc:") ? pathOrUrl : "jdbc:sqlite:" + pathOrUrl;
    }

    /** The database product, as the engine names it: {@code sqlite}, {@code postgresql}. */
    public String product() {
        return dialect.name();
    }

    /** The JDBC URL with any password hidden. */
    public String displayUrl() {
        return Identifiers.redactUrl(url);
    }

    /** Opens a new connection of its own (for work that must run beside the shared one). */
    public Connection newConnection() {
        try {
            return dataSource != null ? borrow() : openConnection();
        } catch (SQLException e) {
            throw ShuttleException.database("cannot open " + displayUrl(), e);
        }
    }

    /** Runs read-only work on the shared connection (auto-commit). */
    public <T> T read(SqlWork<T> work) {
        if (dataSource != null) {
            try (Connection c = borrow()) {
                return work.run(c);
            } catch (SQLException e) {
                throw ShuttleException.database("reading " + displayUrl(), e);
            }
        }
        lock.lock();
        try {
            return work.run(connection());
        } catch (SQLException e) {
            throw ShuttleException.database("reading " + displayUrl(), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs one statement in a transaction of its own, with {@code args} bound to its {@code ?}
     * parameters, and returns the number of rows it changed (a write to a sync-enabled table is
     * captured like any other).
     */
    public int execute(String sql, Object... args) {
        return transaction(c -> Jdbc.update(c, sql, args));
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T transaction(SqlWork<T> work) {
        if (dataSource != null) {
            try (Connection c = borrow()) {
                return inTransaction(c, work);
            } catch (SQLException e) {
                throw ShuttleException.database("transaction on " + displayUrl(), e);
            }
        }
        lock.lock();
        try {
            return inTransaction(connection(), work);
        } catch (SQLException e) {
            throw ShuttleException.database("transaction on " + displayUrl(), e);
        } finally {
            lock.unlock();
        }
    }

    private static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        return io.shuttlebridge.core.internal.Jdbc.inTransaction(c, work);
    }

    /**
     * {@link #transaction} whose commit is on disk when it returns, whatever the connection's own setting
     * (SQLite: {@code synchronous=FULL} for this one transaction; PostgreSQL: {@code synchronous_commit}
     * on): what a hub answers, and what a device keeps of its hub's answers, survive a power loss.
     */
    public <T> T durableTransaction(SqlWork<T> work) {
        if (dataSource != null) {
            try (Connection c = borrow()) {
                return durably(c, work);
            } catch (SQLException e) {
                throw ShuttleException.database("durable transaction on " + displayUrl(), e);
            }
        }
        lock.lock();
        try {
            return durably(connection(), work);
        } catch (SQLException e) {
            throw ShuttleException.database("durable transaction on " + displayUrl(), e);
        } finally {
            lock.unlock();
        }
    }

    /** A transaction on {@code c} with the connection's durability raised for it, and put back after. */
    private <T> T durably(Connection c, SqlWork<T> work) throws SQLException {
        int restore = dialect.raiseDurability(c);
        try {
            return inTransaction(c, x -> {
                dialect.durableCommit(x);
                return work.run(x);
            });
        } finally {
            if (restore >= 0 && !c.isClosed()) {
                dialect.restoreDurability(c, restore);
            }
        }
    }

    /** A connection from the data source, as the engine works on it. */
    private Connection borrow() throws SQLException {
        Connection c = dataSource.getConnection();
        try {
            return dialect.session(c);
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = openConnection();
        }
        return connection;
    }

    private Connection openConnection() throws SQLException {
        Connection c = DriverManager.getConnection(dialect.driverUrl(url), properties);
        try {
            setup.prepare(c);
            return dialect.session(c);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        if (dataSource != null) {
            if (onClose != null) {
                try {
                    onClose.close();
                } catch (Exception e) {
                    throw new ShuttleException(
                            ErrorCode.DATABASE, "closing " + displayUrl() + ": " + e.getMessage(), e);
                }
            }
            return;
        }
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            throw ShuttleException.database("closing " + displayUrl(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }
}
