package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code shuttle} jar as separate processes: serve a hub, clone two devices, sync plain-SQL writes between them. */
class HubProcessesIT {
    private static final String NOTES = "SELECT id, body, amount FROM note ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void serveCloneAndSyncAsSeparateProcesses() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        ShuttleJar.sql(
                hubDb,
                "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL, amount NUMERIC(10,2))",
                "INSERT INTO note VALUES (1, 'hello', 1.50)");
        assertThat(ShuttleJar.run(dir, "init", "--db", hubDb.toString()).code()).isZero();
        Process serve = ShuttleJar.start(
                dir, "serve", "--db", hubDb.toString(), "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        try {
            String url = ShuttleJar.listeningUrl(serve);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            assertThat(ShuttleJar.run(dir, "clone", "--hub", url, "--db", a.toString(), "--token", "tk")
                            .code())
                    .isZero();
            assertThat(ShuttleJar.run(dir, "clone", "--hub", url, "--db", b.toString(), "--token", "tk")
                            .code())
                    .isZero();
            ShuttleJar.sql(a, "INSERT INTO note VALUES (2, 'from A', 2.25)");
            ShuttleJar.sql(b, "UPDATE note SET body = 'edited on B' WHERE id = 1");
            for (Path d : List.of(a, b, a)) {
                assertThat(ShuttleJar.run(dir, "sync", "--db", d.toString(), "--token", "tk")
                                .code())
                        .isZero();
            }
            assertThat(ShuttleJar.rows(a, NOTES))
                    .containsExactly("1|edited on B|1.5", "2|from A|2.25")
                    .isEqualTo(ShuttleJar.rows(b, NOTES))
                    .isEqualTo(ShuttleJar.rows(hubDb, NOTES));
            assertThat(ShuttleJar.run(dir, "sync", "--db", a.toString(), "--token", "wrong")
                            .code())
                    .isEqualTo(1);
        } finally {
            serve.destroy(); // SIGTERM: graceful stop
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
