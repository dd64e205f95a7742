package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hub process killed with SIGKILL while a device's push is in flight: after a restart and the
 * device's retry, the hub holds every device row exactly once, and the device has nothing left
 * to send and nothing sent twice. Once with the hub on a SQLite file, once on PostgreSQL, once on MariaDB.
 */
class HubKilledMidPushIT {
    private static final int ROWS = 60_000;
    private static final String NOTES = "SELECT id, body FROM note ORDER BY id";

    @TempDir
    Path dir;

    /** The hub's database: what {@code shuttle} takes as {@code --db}, and a JDBC URL for plain SQL on it. */
    record HubDatabase(String db, String url) {}

    enum Hub {
        SQLITE {
            @Override
            HubDatabase create(Path dir) throws Exception {
                Path file = dir.resolve("hub.db");
                ShuttleJar.sql(
                        file,
                        "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                        "INSERT INTO note VALUES (0, 'on the hub')");
                return new HubDatabase(file.toString(), ShuttleJar.sqlite(file));
            }
        },
        POSTGRESQL {
            @Override
            HubDatabase create(Path dir) throws Exception {
                String url = Postgres.freshDatabase();
                ShuttleJar.sql(
                        url,
                        "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL)",
                        "INSERT INTO note VALUES (0, 'on the hub')");
                return new HubDatabase(url, url);
            }
        },
        MARIADB {
            @Override
            HubDatabase create(Path dir) throws Exception {
                String url = MariaDb.freshDatabase();
                MariaDb.exec(
                        url,
                        "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL)",
                        "INSERT INTO note VALUES (0, 'on the hub')");
                return new HubDatabase(url, url);
            }
        };

        /** A new database with the table {@code note} holding one row written on the hub. */
        abstract HubDatabase create(Path dir) throws Exception;
    }

    @ParameterizedTest(name = "hub on {0}")
    @EnumSource(Hub.class)
    void sigkillDuringPushLosesAndDuplicatesNothing(Hub kind) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        HubDatabase hub = kind.create(dir);
        assertThat(ShuttleJar.run(dir, "init", "--db", hub.db()).code()).isZero();
        Process serve = serve(hub);
        Path device = dir.resolve("device.db");
        try {
            String url = ShuttleJar.listeningUrl(serve);
            assertThat(ShuttleJar.run(dir, "clone", "--hub", url, "--db", device.toString(), "--token", "tk")
                            .code())
                    .isZero();
            insertRows(device);

            Process push = ShuttleJar.start(dir, "sync", "--db", device.toString(), "--token", "tk");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long landed;
            while ((landed = ShuttleJar.count(hub.url(), "SELECT count(*) FROM note")) <= 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            serve.destroyForcibly(); // SIGKILL: no graceful shutdown, a push may be half-way through its transaction
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(landed)
                    .as("rows on the hub when it was killed")
                    .isGreaterThan(1)
                    .isLessThan(ROWS + 1);
            push.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertThat(push.waitFor(120, TimeUnit.SECONDS))
                    .as("the interrupted sync gives up")
                    .isTrue();

            serve = serve(hub);
            String again = ShuttleJar.listeningUrl(serve);
            ShuttleJar.Result retry =
                    ShuttleJar.run(dir, "sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(retry.code()).as(retry.err()).isZero();

            assertThat(ShuttleJar.count(hub.url(), "SELECT count(*) FROM note")).isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.count(hub.url(), "SELECT count(DISTINCT body) FROM note"))
                    .isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.count(hub.url(), "SELECT count(*) FROM _shuttle_feed"))
                    .as("one feed entry per row")
                    .isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.rows(device, NOTES)).isEqualTo(ShuttleJar.rows(hub.url(), NOTES));

            ShuttleJar.Result idle =
                    ShuttleJar.run(dir, "sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(idle.code()).as(idle.err()).isZero();
            assertThat(idle.out())
                    .as("nothing left to push or pull")
                    .contains("\"pulled\":0")
                    .contains("\"pushed\":0")
                    .contains("\"pushDuplicates\":0");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private Process serve(HubDatabase hub) throws Exception {
        return ShuttleJar.start(dir, "serve", "--db", hub.db(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
    }

    private void insertRows(Path device) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + device)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO note (id, body) VALUES (?, ?)")) {
                for (int i = 1; i <= ROWS; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "device row " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }
}
