package io.shuttlebridge.core;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for tests: the server named by {@code SHUTTLE_TEST_PG_URL} (a JDBC URL of a
 * database the tests may create databases from) or one embedded server per test JVM, started on
 * first use in an awkward time zone on purpose. Every call of {@link #freshDatabase} creates a new
 * empty database, so tests never see each other's tables.
 */
public final class Postgres {
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile String adminUrl;
    private static EmbeddedPostgres embedded;

    private Postgres() {}

    private static synchronized String adminUrl() {
        if (adminUrl == null) {
            String external = System.getenv("SHUTTLE_TEST_PG_URL");
            if (external != null && !external.isBlank()) {
                adminUrl = external;
            } else {
                try {
                    embedded = EmbeddedPostgres.builder()
                            .setServerConfig("timezone", "US/Samoa")
                            .setServerConfig("max_connections", "100")
                            .start();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
                }
                adminUrl = embedded.getJdbcUrl("postgres", "postgres");
                Runtime.getRuntime().addShutdownHook(new Thread(Postgres::stop));
            }
        }
        return adminUrl;
    }

    private static synchronized void stop() {
        try {
            if (embedded != null) {
                embedded.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new empty database; returns its JDBC URL. */
    public static String freshDatabase() {
        String admin = adminUrl();
        String name = "shuttle_t" + ProcessHandle.current().pid() + "_" + NEXT.incrementAndGet();
        exec(admin, "CREATE DATABASE " + name);
        int slash = admin.indexOf('/', "jdbc:postgresql://".length());
        int query = admin.indexOf('?', slash);
        return admin.substring(0, slash + 1) + name + (query < 0 ? "" : admin.substring(query));
    }

    /**
     * A new empty schema in the database at {@code databaseUrl}; returns a JDBC URL whose
     * connections work in it ({@code currentSchema}).
     */
    public static String freshSchema(String databaseUrl) {
        String name = "shuttle_s" + NEXT.incrementAndGet();
        exec(databaseUrl, "CREATE SCHEMA " + name);
        return databaseUrl + (databaseUrl.indexOf('?') < 0 ? "?" : "&") + "currentSchema=" + name;
    }

    /** Drops the schema a {@link #freshSchema} URL works in, with everything in it. */
    public static void dropSchema(String schemaUrl) {
        String name = schemaUrl.substring(schemaUrl.lastIndexOf("currentSchema=") + "currentSchema=".length());
        exec(schemaUrl, "DROP SCHEMA " + name + " CASCADE");
    }

    public static Connection connect(String url) {
        return TestServers.connect(url);
    }

    /** Runs statements on a plain connection in auto-commit mode, as psql would. */
    public static void exec(String url, String... statements) {
        TestServers.exec(url, statements);
    }

    /** Rows as maps of column label to value as the driver returns it. */
    public static List<Map<String, Object>> query(String url, String sql) {
        return TestServers.query(url, sql);
    }

    public static long count(String url, String sql) {
        return TestServers.count(url, sql);
    }
}
