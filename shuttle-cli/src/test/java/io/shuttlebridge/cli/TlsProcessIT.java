package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code shuttle} jar over TLS: {@code serve --tls-cert/--tls-key}, devices that clone, sync and watch with
 * {@code --ca-cert} or {@code SHUTTLE_CA_CERT}, and one without the CA refused with how to trust it.
 */
class TlsProcessIT {
    private static final String NOTES = "SELECT id, body FROM note ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void serveCloneSyncAndWatchOverHttpsAndWss() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        TestCertificates.HubFiles tls = TestCertificates.hub(dir);
        Map<String, String> trustingEnv = Map.of("SHUTTLE_CA_CERT", tls.ca().toString());
        Path hubDb = dir.resolve("hub.db");
        ShuttleJar.sql(
                hubDb,
                "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)",
                "INSERT INTO note VALUES (1, 'hello')");
        assertThat(ShuttleJar.run(dir, "init", "--db", hubDb.toString()).code()).isZero();
        Process serve = ShuttleJar.start(
                dir,
                "serve",
                "--db",
                hubDb.toString(),
                "--port",
                "0",
                "--token",
                "tk",
                "--host",
                "127.0.0.1",
                "--tls-cert",
                tls.cert().toString(),
                "--tls-key",
                tls.key().toString());
        Process watch = null;
        try {
            String url = ShuttleJar.listeningUrl(serve);
            assertThat(url).startsWith("https://127.0.0.1:");
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");

            ShuttleJar.Result untrusted =
                    ShuttleJar.run(dir, "clone", "--hub", url, "--db", b.toString(), "--token", "tk");
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(untrusted.err().strip().lines()).hasSize(1);
            assertThat(untrusted.err())
                    .startsWith("shuttle: the TLS certificate of the hub at " + url + " is not trusted by this device")
                    .contains("--ca-cert PEM");

            assertThat(ShuttleJar.run(
                                    dir,
                                    "clone",
                                    "--hub",
                                    url,
                                    "--db",
                                    a.toString(),
                                    "--token",
                                    "tk",
                                    "--ca-cert",
                                    tls.ca().toString())
                            .code())
                    .isZero();
            assertThat(ShuttleJar.run(dir, trustingEnv, "clone", "--hub", url, "--db", b.toString(), "--token", "tk")
                            .code())
                    .isZero();
            ShuttleJar.sql(a, "INSERT INTO note VALUES (2, 'from A')");
            assertThat(ShuttleJar.run(dir, trustingEnv, "sync", "--db", a.toString(), "--token", "tk")
                            .code())
                    .isZero();
            assertThat(ShuttleJar.run(
                                    dir,
                                    "sync",
                                    "--db",
                                    b.toString(),
                                    "--token",
                                    "tk",
                                    "--ca-cert",
                                    tls.ca().toString())
                            .code())
                    .isZero();
            assertThat(ShuttleJar.rows(b, NOTES)).containsExactly("1|hello", "2|from A");

            watch = ShuttleJar.start(dir, trustingEnv, "sync", "--db", b.toString(), "--token", "tk", "--watch");
            assertThat(watch.inputReader().readLine()).startsWith("Live sync of");
            ShuttleJar.sql(a, "INSERT INTO note VALUES (3, 'streamed')");
            assertThat(ShuttleJar.run(dir, trustingEnv, "sync", "--db", a.toString(), "--token", "tk")
                            .code())
                    .isZero();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ShuttleJar.rows(b, NOTES).size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(ShuttleJar.rows(b, NOTES))
                    .as("the watching device hears of the push on the wss:// stream")
                    .containsExactly("1|hello", "2|from A", "3|streamed")
                    .isEqualTo(ShuttleJar.rows(hubDb, NOTES));
        } finally {
            for (Process p : List.of(serve, watch == null ? serve : watch)) {
                p.destroy(); // SIGTERM: graceful stop
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
