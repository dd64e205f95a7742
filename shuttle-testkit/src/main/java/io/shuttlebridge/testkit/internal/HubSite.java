package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.HubServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where a cluster's hub keeps its database and how devices reach it. The database is the file
 * {@code hub.db} beside the devices' files, a new schema in a PostgreSQL database, or a new database on
 * a MariaDB server (dropped when the cluster closes). Devices reach the hub in-process, or over HTTP on loopback: a
 * {@link HubServer} on a free port and the client's {@link HttpTransport}, without retries, so
 * that every failure reaches the caller as it happened. The server reads the time from the hub's
 * engine, as every node of the cluster does, unless it is given a clock of its own.
 */
public final class HubSite implements AutoCloseable {
    /** The bearer token between the cluster's devices and its hub server (loopback only). */
    static final String TOKEN = "shuttle-testkit";

    private static final AtomicInteger NEXT_SCHEMA = new AtomicInteger();
    private static final String MARIADB = "jdbc:mariadb://";

    private final String postgresUrl;
    private final boolean http;
    private final Clock clock;
    private String schemaUrl;
    private String mariaDbName;
    private HubServer server;

    /**
     * @param postgresUrl a PostgreSQL database to make the hub's schema in, a MariaDB server to make the
     *     hub's database on, or null for a SQLite file
     * @param http whether devices reach the hub over HTTP rather than in-process
     */
    public HubSite(String postgresUrl, boolean http) {
        this(postgresUrl, http, null);
    }

    /**
     * @param postgresUrl a PostgreSQL database to make the hub's schema in, or null for a SQLite file
     * @param http whether devices reach the hub over HTTP rather than in-process
     * @param clock the hub server's own clock (its leases), or null for the hub engine's
     */
    public HubSite(String postgresUrl, boolean http, Clock clock) {
        if (postgresUrl != null && !postgresUrl.startsWith("jdbc:postgresql:") && !postgresUrl.startsWith(MARIADB)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "a PostgreSQL or MariaDB hub needs a jdbc:postgresql:// or jdbc:mariadb:// URL, got "
                            + redact(postgresUrl));
        }
        this.postgresUrl = postgresUrl;
        this.http = http;
        this.clock = clock;
    }

    /** A new, empty database for the hub: a SQLite file path or a JDBC URL. */
    String database(Path dir) {
        if (postgresUrl == null) {
            return dir.resolve("hub.db").toString();
        }
        String schema = "shuttle_testkit_" + ProcessHandle.current().pid() + "_" + NEXT_SCHEMA.incrementAndGet();
        if (mariaDb()) {
            exec(postgresUrl, "CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            schemaUrl = withDatabase(postgresUrl, schema);
            mariaDbName = schema;
            return schemaUrl;
        }
        exec(postgresUrl, "CREATE SCHEMA " + schema);
        schemaUrl = postgresUrl + (postgresUrl.indexOf('?') < 0 ? "?" : "&") + "currentSchema=" + schema;
        return schemaUrl;
    }

    /** How devices reach {@code hub} (its engine, apply listener included); asked once. */
    Transport connect(SyncEngine hub) {
        if (!http) {
            return new InProcessTransport(hub);
        }
        HubServer.Builder b =
                HubServer.builder(hub).host("127.0.0.1").port(0).token(TOKEN).shutdownTimeout(Duration.ofSeconds(5));
        if (clock != null) {
            b.clock(clock);
        }
        server = b.start();
        return HttpTransport.builder(server.url())
                .token(TOKEN)
                .requestTimeout(Duration.ofSeconds(60))
                .backoff(Backoff.NONE)
                .build();
    }

    /** Stops the hub server, if any; the cluster calls it before closing its nodes. */
    void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Stops the server and drops the PostgreSQL schema; the cluster calls it after closing its nodes. */
    @Override
    public void close() {
        try {
            stopServer();
        } finally {
            if (mariaDbName != null) {
                String name = mariaDbName;
                mariaDbName = null;
                schemaUrl = null;
                exec(postgresUrl, "DROP DATABASE IF EXISTS " + name);
            }
            if (schemaUrl != null) {
                String schema =
                        schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
                schemaUrl = null;
                exec(postgresUrl, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static void exec(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new ShuttleException(
                    ErrorCode.DATABASE, sql + " on " + redact(url) + " failed: " + e.getMessage(), e);
        }
    }

    private boolean mariaDb() {
        return postgresUrl != null && postgresUrl.startsWith(MARIADB);
    }

    /** A MariaDB URL with its database (the path after host and port) replaced by {@code name}. */
    static String withDatabase(String url, String name) {
        int slash = url.indexOf('/', MARIADB.length());
        int query = url.indexOf('?', MARIADB.length());
        String server = slash >= 0 && (query < 0 || slash < query)
                ? url.substring(0, slash)
                : (query < 0 ? url : url.substring(0, query));
        return server + "/" + name + (query < 0 ? "" : url.substring(query));
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    @Override
    public String toString() {
        return (postgresUrl == null ? "SQLite hub" : mariaDb() ? "MariaDB hub" : "PostgreSQL hub")
                + (http ? " over HTTP" : ", in-process");
    }
}
