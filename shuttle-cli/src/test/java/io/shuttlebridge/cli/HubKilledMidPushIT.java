package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub process killed with SIGKILL while a device's push is in flight: after a restart and the
 * device's retry, the hub holds every device row exactly once, and the device has nothing left
 * to send and nothing sent twice.
 */
class HubKilledMidPushIT {
    private static final int ROWS = 60_000;
    private static final String NOTES = "SELECT id, body FROM note ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void sigkillDuringPushLosesAndDuplicatesNothing() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        ShuttleJar.sql(hubDb, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", "INSERT INTO note VALUES (0, 'on the hub')");
        assertThat(ShuttleJar.run(dir, "init", "--db", hubDb.toString()).code()).isZero();
        Process serve = ShuttleJar.start(dir, "serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        Path device = dir.resolve("device.db");
        try {
            String url = ShuttleJar.listeningUrl(serve);
            assertThat(ShuttleJar.run(dir, "clone", "--hub", url, "--db", device.toString(), "--token", "tk").code()).isZero();
            insertRows(device);

            Process push = ShuttleJar.start(dir, "sync", "--db", device.toString(), "--token", "tk");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            long landed;
            while ((landed = ShuttleJar.count(hubDb, "SELECT count(*) FROM note")) <= 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            serve.destroyForcibly(); // SIGKILL: no graceful shutdown, a push may be half-way through its transaction
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(landed).as("rows on the hub when it was killed").isGreaterThan(1).isLessThan(ROWS + 1);
            push.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            assertThat(push.waitFor(120, TimeUnit.SECONDS)).as("the interrupted sync gives up").isTrue();

            serve = ShuttleJar.start(dir, "serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
            String again = ShuttleJar.listeningUrl(serve);
            ShuttleJar.Result retry = ShuttleJar.run(dir, "sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(retry.code()).isZero();

            assertThat(ShuttleJar.count(hubDb, "SELECT count(*) FROM note")).isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.count(hubDb, "SELECT count(DISTINCT body) FROM note")).isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.count(hubDb, "SELECT count(*) FROM _shuttle_feed")).as("one feed entry per row").isEqualTo(ROWS + 1);
            assertThat(ShuttleJar.rows(device, NOTES)).isEqualTo(ShuttleJar.rows(hubDb, NOTES));

            ShuttleJar.Result idle = ShuttleJar.run(dir, "sync", "--hub", again, "--db", device.toString(), "--token", "tk", "--json");
            assertThat(idle.code()).isZero();
            assertThat(idle.out()).as("nothing left to push or pull").contains("\"pulled\":0").contains("\"pushed\":0")
                    .contains("\"pushDuplicates\":0");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
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
