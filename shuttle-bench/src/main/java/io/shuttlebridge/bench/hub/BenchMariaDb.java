package io.shuttlebridge.bench.hub;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The MariaDB (or MySQL) a hub benchmark runs on: the server named by {@code SHUTTLE_BENCH_MARIADB_URL}, a
 * JDBC URL of a user that may create and drop databases (e.g. {@code jdbc:mariadb://127.0.0.1:3306/?user=root}).
 * The command line jar carries no MariaDB server (its binaries are 150 MB): the tests start an embedded one and
 * pass its URL. Each run works in a {@code utf8mb4} database of its own, dropped on {@link #close}; the baseline is
 * {@code LOAD DATA LOCAL INFILE} of the same rows, streamed by the driver ({@code allowLocalInfile=true}).
 */
public final class BenchMariaDb implements BenchHubDb {
    public static final String ENV = "SHUTTLE_BENCH_MARIADB_URL";

    private final String adminUrl;
    private final String name;
    private final String url;

    private BenchMariaDb(String adminUrl, String name) throws SQLException {
        this.adminUrl = adminUrl;
        this.name = name;
        BenchSql.exec(adminUrl, "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        this.url = databaseUrl(adminUrl, name);
    }

    public static BenchMariaDb start(String purpose) throws SQLException {
        String admin = System.getenv(ENV);
        if (admin == null || admin.isBlank()) {
            throw new IllegalArgumentException("--hub mariadb needs " + ENV
                    + ": the JDBC URL of a MariaDB or MySQL user that may create databases, e.g."
                    + " jdbc:mariadb://127.0.0.1:3306/?user=root");
        }
        if (!admin.startsWith("jdbc:mariadb://") && !admin.startsWith("jdbc:mysql://")) {
            throw new IllegalArgumentException(ENV + " is not a jdbc:mariadb:// or jdbc:mysql:// URL");
        }
        return new BenchMariaDb(
                admin,
                "shuttle_bench_" + purpose + "_" + ProcessHandle.current().pid());
    }

    /** The URL of database {@code name} on the server of {@code admin}, with the admin URL's options. */
    static String databaseUrl(String admin, String name) {
        int start = admin.indexOf("//") + 2;
        int slash = admin.indexOf('/', start);
        int query = admin.indexOf('?', start);
        int end = slash >= 0 && (query < 0 || slash < query) ? slash : query < 0 ? admin.length() : query;
        return admin.substring(0, end) + "/" + name + (query < 0 ? "" : admin.substring(query));
    }

    @Override
    public BenchMariaDb another(String purpose) throws SQLException {
        return new BenchMariaDb(adminUrl, name + "_" + purpose);
    }

    @Override
    public String where() {
        return "MariaDB at " + adminUrl.replaceAll("(?i)(password=)[^&]*", "$1***");
    }

    @Override
    public String url() {
        return url;
    }

    /** A connection that may stream {@code LOAD DATA LOCAL INFILE}. */
    @Override
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url + (url.contains("?") ? "&" : "?") + "allowLocalInfile=true");
    }

    @Override
    public void createItemTable(String table) throws SQLException {
        exec(String.format(BenchRows.MARIADB_TABLE, table));
    }

    @Override
    public void createMembers(int first, int n) throws SQLException {
        exec("CREATE TABLE bench_member (user_id VARCHAR(64) NOT NULL, slot INTEGER NOT NULL,"
                + " PRIMARY KEY (user_id, slot))");
        addMembers(first, n);
    }

    @Override
    public double bulkLoad(Connection c, String table, long from, long n, int version) throws SQLException {
        return BenchRows.loadData(c, table, from, n, version);
    }

    @Override
    public String bulkName() {
        return "MariaDB LOAD DATA";
    }

    @Override
    public String bulkKey() {
        return "LoadData";
    }

    @Override
    public void close() throws SQLException {
        BenchSql.exec(adminUrl, "DROP DATABASE IF EXISTS `" + name + "`");
    }
}
