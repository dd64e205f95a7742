package io.shuttlebridge.bench.hub;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL a hub benchmark runs on: the server named by {@code SHUTTLE_BENCH_PG_URL} (a JDBC
 * URL of a database the benchmark may create databases from), or an embedded server started for
 * the run. Each run works in a database of its own, dropped on {@link #close}.
 */
public final class BenchPostgres implements AutoCloseable {
    public static final String ENV = "SHUTTLE_BENCH_PG_URL";

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final String name;
    private final String url;

    private BenchPostgres(EmbeddedPostgres embedded, String adminUrl, String name) throws SQLException {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.name = name;
        execOn(adminUrl, "CREATE DATABASE " + name);
        int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
        int query = adminUrl.indexOf('?', slash);
        this.url = adminUrl.substring(0, slash + 1) + name + (query < 0 ? "" : adminUrl.substring(query));
    }

    public static BenchPostgres start(String purpose) throws IOException, SQLException {
        String name = "shuttle_bench_" + purpose + "_" + ProcessHandle.current().pid();
        String external = System.getenv(ENV);
        if (external != null && !external.isBlank()) {
            return new BenchPostgres(null, external, name);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "100")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig(
                        "log_min_duration_statement", System.getenv().getOrDefault("SHUTTLE_BENCH_PG_LOG_MS", "-1"))
                .start();
        return new BenchPostgres(pg, pg.getJdbcUrl("postgres", "postgres"), name);
    }

    /** Another database on the same server, dropped on its {@link #close} (the server stays up). */
    public BenchPostgres another(String purpose) throws SQLException {
        return new BenchPostgres(null, adminUrl, name + "_" + purpose);
    }

    /** Where it runs, for the report: "embedded" or the external URL without credentials. */
    public String where() {
        return embedded != null ? "embedded PostgreSQL" : adminUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The port of the embedded server; -1 for a server given by URL. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    /** The JDBC URL of this run's database. */
    public String url() {
        return url;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    public void exec(String... statements) throws SQLException {
        execOn(url, statements);
    }

    private static void execOn(String jdbcUrl, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        try {
            execOn(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
