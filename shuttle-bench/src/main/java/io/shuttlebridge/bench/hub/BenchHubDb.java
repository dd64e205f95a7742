package io.shuttlebridge.bench.hub;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The database a hub benchmark runs its hub on, in a database of its own dropped on {@link #close}: PostgreSQL
 * ({@link BenchPostgres}) or MariaDB ({@link BenchMariaDb}), with the database's own bulk load of the benchmark's
 * rows as the same-run baseline.
 */
public sealed interface BenchHubDb extends AutoCloseable permits BenchPostgres, BenchMariaDb {
    /** The databases a hub benchmark can run on, as {@code --hub} names them. */
    enum Kind {
        postgres,
        mariadb
    }

    /** Starts (or reaches, by its environment variable) a server of {@code kind}, with a database for the run. */
    static BenchHubDb start(Kind kind, String purpose) throws IOException, SQLException {
        return kind == Kind.mariadb ? BenchMariaDb.start(purpose) : BenchPostgres.start(purpose);
    }

    /** Another database on the same server, dropped on its {@link #close} (the server stays up). */
    BenchHubDb another(String purpose) throws SQLException;

    /** Where it runs, for the report, without credentials. */
    String where();

    /** The JDBC URL of this run's database. */
    String url();

    Connection connect() throws SQLException;

    /** Runs statements on a plain connection to this run's database, in auto-commit mode. */
    default void exec(String... statements) throws SQLException {
        BenchSql.exec(url(), statements);
    }

    /** Creates the benchmark's table {@code item(id, sku, name, qty, price)} in this database's spelling. */
    void createItemTable(String table) throws SQLException;

    /**
     * The rules benchmark's membership table {@code bench_member(user_id, slot)}, holding the subject's slots
     * {@code first..first+n-1}.
     */
    void createMembers(int first, int n) throws SQLException;

    /**
     * Gives {@code table} (of the benchmark's rows) a column {@code slot} holding {@code id % 100}, with an index, as
     * a real schema holds the column a membership rule goes through ({@code project_id}); the table is then rewritten
     * (PostgreSQL) or analyzed (MariaDB), so that it is as compact as one loaded with the column filled, not twice
     * its size with the row versions the update left. On PostgreSQL a plain VACUUM follows, as autovacuum's would on
     * a live hub: the rewrite leaves the visibility map unset, and an index-only scan of the key (how a filtered
     * snapshot finds the key a span ahead) would then read every row's page (200,001 heap fetches for an offset of
     * 200,000, measured).
     */
    default void addSlotColumn(String table) throws SQLException {
        exec(
                "ALTER TABLE " + table + " ADD COLUMN slot INTEGER",
                "UPDATE " + table + " SET slot = id % 100",
                "CREATE INDEX " + table + "_slot ON " + table + " (slot)");
        if (this instanceof BenchPostgres) {
            exec("VACUUM (FULL, ANALYZE) " + table, "VACUUM " + table);
        } else {
            exec("ANALYZE TABLE " + table);
        }
    }

    /** Grants the subject the slots {@code first..first+n-1} as well. */
    default void addMembers(int first, int n) throws SQLException {
        addMembers(BenchHub.SUBJECT, first, n);
    }

    /** Grants {@code subject} the slots {@code first..first+n-1}. */
    default void addMembers(String subject, int first, int n) throws SQLException {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_member (user_id, slot) VALUES ");
        for (int s = first; s < first + n; s++) {
            sql.append(s == first ? "" : ", ")
                    .append("('")
                    .append(subject)
                    .append("', ")
                    .append(s)
                    .append(')');
        }
        exec(sql.toString());
    }

    /** The database's bulk load of rows {@code [from, from + n)} into {@code table} on {@code c}; returns seconds. */
    double bulkLoad(Connection c, String table, long from, long n, int version) throws SQLException, IOException;

    /** The bulk load's name in the report, e.g. {@code PostgreSQL COPY}. */
    String bulkName();

    /** The bulk load in the ratios' keys, e.g. {@code Copy} in {@code cloneVsCopy}. */
    String bulkKey();

    @Override
    void close() throws IOException, SQLException;
}
