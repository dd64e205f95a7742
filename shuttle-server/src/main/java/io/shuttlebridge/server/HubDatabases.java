package io.shuttlebridge.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens a hub's database for serving many devices at once. A PostgreSQL (or other server) database
 * gets a HikariCP pool, so pulls, snapshots, schema reads and pushes run in parallel; the feed's
 * order is kept by the database (the fold's advisory lock), as it is for several hub processes. A
 * SQLite hub keeps one connection (SQLite has one writer), with {@code synchronous=FULL}.
 */
public final class HubDatabases {
    /** The pool size {@code shuttle serve} uses unless told otherwise. */
    public static final int DEFAULT_POOL = 10;

    /** How long a request waits for one of the pool's connections unless told otherwise. */
    public static final Duration DEFAULT_POOL_TIMEOUT = Duration.ofSeconds(5);

    /** The shortest pool timeout (HikariCP's own floor). */
    public static final Duration MIN_POOL_TIMEOUT = Duration.ofMillis(250);

    private HubDatabases() {}

    /**
     * {@code pathOrUrl} opened for a hub: a pool of at most {@code poolSize} connections (at least 2:
     * one listens for other hub processes' writes) for a server database, one connection for SQLite;
     * a request waits up to {@link #DEFAULT_POOL_TIMEOUT} for a connection.
     */
    public static ShuttleDatabase open(String pathOrUrl, int poolSize) {
        return open(pathOrUrl, poolSize, DEFAULT_POOL_TIMEOUT);
    }

    /**
     * {@link #open(String, int)} with requests waiting up to {@code poolTimeout} (at least {@link
     * #MIN_POOL_TIMEOUT}) for one of the pool's connections; a hub answers one that waited longer {@code
     * 503} with {@code Retry-After}, having done nothing of it. Not used for SQLite.
     */
    public static ShuttleDatabase open(String pathOrUrl, int poolSize, Duration poolTimeout) {
        if (poolTimeout == null || poolTimeout.compareTo(MIN_POOL_TIMEOUT) < 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "the pool timeout must be at least " + MIN_POOL_TIMEOUT.toMillis() + " ms, got " + poolTimeout);
        }
        String url = ShuttleDatabase.toJdbcUrl(pathOrUrl);
        if (url.startsWith("jdbc:sqlite:")) {
            // every commit of a hub survives a power loss: leases and node bindings as much as answered pushes
            Properties durable = new Properties();
            durable.setProperty("synchronous", "FULL");
            return ShuttleDatabase.open(url, durable);
        }
        if (poolSize < 2) {
            throw new IllegalArgumentException("a hub's pool needs at least 2 connections, got " + poolSize);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setDataSourceProperties(ShuttleDatabase.driverProperties(url));
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setPoolName("shuttle-hub");
        config.setConnectionTimeout(poolTimeout.toMillis());
        HikariDataSource pool = new HikariDataSource(config);
        try {
            return ShuttleDatabase.of(pool, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }
}
