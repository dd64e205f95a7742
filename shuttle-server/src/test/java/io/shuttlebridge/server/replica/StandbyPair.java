package io.shuttlebridge.server.replica;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * A PostgreSQL primary and a hot standby streaming from it, on loopback, from the embedded server's
 * own binaries: the primary is made, given its database, stopped and copied; the copy, with
 * {@code standby.signal} and {@code primary_conninfo}, starts as the standby. The standby applies
 * what it receives {@code applyDelay} late, to make its lag visible.
 */
final class StandbyPair implements AutoCloseable {
    private final EmbeddedPostgres primary;
    private final EmbeddedPostgres standby;

    interface Setup {
        void run(String primaryUrl) throws Exception;
    }

    StandbyPair(Path dir, String applyDelay, Setup setup) throws Exception {
        Path primaryData = dir.resolve("primary");
        Path standbyData = dir.resolve("standby");
        EmbeddedPostgres first = EmbeddedPostgres.builder()
                .setDataDirectory(primaryData)
                .setCleanDataDirectory(false)
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "4")
                .start();
        int port = first.getPort();
        exec(first.getJdbcUrl("postgres", "postgres"), "CREATE DATABASE app");
        setup.run(url(port));
        first.close();
        copy(primaryData, standbyData);
        Files.deleteIfExists(standbyData.resolve("postmaster.pid"));
        Files.writeString(standbyData.resolve("standby.signal"), "");
        // in the configuration file: a value with spaces does not survive the server's command line
        Files.writeString(
                standbyData.resolve("postgresql.auto.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + port + " user=postgres'\n"
                        + "recovery_min_apply_delay = '" + applyDelay + "'\n"
                        + "hot_standby = on\n",
                java.nio.file.StandardOpenOption.APPEND);
        this.primary = EmbeddedPostgres.builder()
                .setDataDirectory(primaryData)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("wal_level", "replica")
                .setServerConfig("max_wal_senders", "4")
                .start();
        this.standby = EmbeddedPostgres.builder()
                .setDataDirectory(standbyData)
                .setCleanDataDirectory(false)
                .start();
    }

    private static String url(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/app?user=postgres";
    }

    String primaryUrl() {
        return url(primary.getPort());
    }

    String standbyUrl() {
        return url(standby.getPort());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES); // a directory with its mode: 0700
            }
        }
    }

    static void exec(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        try {
            standby.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                primary.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
