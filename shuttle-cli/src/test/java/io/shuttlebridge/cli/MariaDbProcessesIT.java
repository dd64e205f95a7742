package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code shuttle} jar over MariaDB: {@code shuttle init --db jdbc:mariadb://...}, two {@code
 * shuttle serve} processes over the same database, a device cloned from each, writes from a plain MariaDB
 * session and from SQLite on both devices, hostile requests refused with nothing changed, and everyone
 * converging.
 */
class MariaDbProcessesIT {
    private static final String NOTES_ON_HUB = "SELECT id, body, cast(amount AS char) FROM note ORDER BY id";
    private static final String NOTES = "SELECT id, body, amount FROM note ORDER BY id";

    @TempDir
    Path dir;

    @Test
    void initServeCloneAndSyncOverMariaDb() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        String url = MariaDb.freshDatabase();
        MariaDb.exec(
                url,
                "CREATE TABLE note (id bigint PRIMARY KEY, body varchar(200) NOT NULL, amount decimal(10,2))",
                "INSERT INTO note VALUES (1, 'hello', 1.50)");
        assertThat(ShuttleJar.run(dir, "init", "--db", url).code()).isZero();
        Process serve1 =
                ShuttleJar.start(dir, "serve", "--db", url, "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        Process serve2 =
                ShuttleJar.start(dir, "serve", "--db", url, "--port", "0", "--token", "tk", "--host", "127.0.0.1");
        try {
            String hub1 = ShuttleJar.listeningUrl(serve1);
            String hub2 = ShuttleJar.listeningUrl(serve2);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            assertThat(ShuttleJar.run(dir, "clone", "--hub", hub1, "--db", a.toString(), "--token", "tk")
                            .code())
                    .isZero();
            assertThat(ShuttleJar.run(dir, "clone", "--hub", hub2, "--db", b.toString(), "--token", "tk")
                            .code())
                    .isZero();
            MariaDb.exec(url, "INSERT INTO note VALUES (3, 'from the mariadb client \u00e9', 3.00)");
            ShuttleJar.sql(a, "INSERT INTO note VALUES (2, 'from A', '2.25')");
            ShuttleJar.sql(b, "UPDATE note SET body = 'edited on B' WHERE id = 1");
            // a concurrent edit of one row on both devices: one of them wins everywhere
            ShuttleJar.sql(a, "UPDATE note SET amount = '7.00' WHERE id = 1");
            ShuttleJar.sql(b, "UPDATE note SET amount = '8.00' WHERE id = 1");

            // hostile requests: refused, and nothing changes (once the hubs' watch has folded the client's write
            // into the feed: it does so on its own, at any moment)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (MariaDb.count(url, "SELECT count(*) FROM _shuttle_log") > 0) {
                assertThat(System.nanoTime())
                        .as("the capture log folded by a hub")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }
            long feed = MariaDb.count(url, "SELECT count(*) FROM _shuttle_feed");
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> malformed = http.send(
                    HttpRequest.newBuilder(URI.create(hub1 + "/v1/sync/push"))
                            .header("Authorization", "Bearer tk")
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"nodeUuid\": \"x\", \"changes\": [{\"table\":"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(malformed.statusCode()).isBetween(400, 499);
            assertThat(malformed.body()).contains("\"error\"");
            assertThat(ShuttleJar.run(dir, "sync", "--db", a.toString(), "--token", "wrong")
                            .code())
                    .isEqualTo(1);
            assertThat(MariaDb.count(url, "SELECT count(*) FROM _shuttle_feed")).isEqualTo(feed);

            for (Path d : List.of(a, b, a)) {
                assertThat(ShuttleJar.run(dir, "sync", "--db", d.toString(), "--token", "tk")
                                .code())
                        .isZero();
            }
            List<String> onHub = ShuttleJar.rows(url, NOTES_ON_HUB);
            assertThat(onHub)
                    .hasSize(3)
                    .contains("2|from A|2.25", "3|from the mariadb client \u00e9|3.00")
                    // last writer wins for the whole row
                    .anyMatch(r -> r.equals("1|edited on B|8.00") || r.equals("1|hello|7.00"));
            assertThat(ShuttleJar.rows(a, NOTES)).isEqualTo(onHub).isEqualTo(ShuttleJar.rows(b, NOTES));
        } finally {
            serve1.destroy(); // SIGTERM: graceful stop
            serve2.destroy();
            assertThat(serve1.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(serve2.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
