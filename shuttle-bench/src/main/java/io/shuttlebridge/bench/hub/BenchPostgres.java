package io.shuttlebridge.bench.hub;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The PostgreSQL a hub benchmark runs on: the server named by {@code SHUTTLE_BENCH_PG_URL} (a JDBC
 * URL of a database the benchmark may create databases from), or an embedded server started for
 * the run. Each run works in a database of its own, dropped on {@link #close}.
 */
public final class BenchPostgres implements BenchHubDb {
    public static final String ENV = "SHUTTLE_BENCH_PG_URL";

    private final EmbeddedPostgres embedded;
    private final String adminUrl;
    private final String name;
    private final String url;

    private BenchPostgres(EmbeddedPostgres embedded, String adminUrl, String name) throws SQLException {
        this.embedded = embedded;
        this.adminUrl = adminUrl;
        this.name = name;
        BenchSql.exec(adminUrl, "CREATE DATABASE " + name);
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

    @Override
    public BenchPostgres another(String purpose) throws SQLException {
        return new BenchPostgres(null, adminUrl, name + "_" + purpose);
    }

    /** Where it runs, for the report: "embedded" or the external URL without credentials. */
    @Override
    public String where() {
        return embedded != null ? "embedded PostgreSQL" : adminUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    /** The port of the embedded server; -1 for a server given by URL. */
    public int embeddedPort() {
        return embedded == null ? -1 : embedded.getPort();
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    @Override
    public void createItemTable(String table) throws SQLException {
        exec(String.format(BenchRows.PG_TABLE, table));
    }

    @Override
    public void createMembers(int first, int n) throws SQLException {
        exec("CREATE TABLE bench_member (user_id TEXT NOT NULL, slot INTEGER NOT NULL, PRIMARY KEY (user_id, slot))");
        addMembers(first, n);
    }

    @Override
    public double bulkLoad(Connection c, String table, long from, long n, int version)
            throws SQLException, IOException {
        return BenchRows.copy(c, table, from, n, version);
    }

    @Override
    public String bulkName() {
        return "PostgreSQL COPY";
    }

    @Override
    public String bulkKey() {
        return "Copy";
    }

    @Override
    public void close() throws IOException, SQLException {
        try {
            BenchSql.exec(adminUrl, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }
}
