package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar: {@code shuttle serve --rate-limit 1/s --rate-burst 2} answers the third quick request 429 with Retry-After. */
class ServeRateLimitIT {
    @TempDir
    Path dir;

    @Test
    void aCallerOverTheLimitIsAnswered429() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        ShuttleJar.sql(hubDb, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
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
                "--rate-limit",
                "1/s",
                "--rate-burst",
                "2");
        try (HttpClient http = HttpClient.newHttpClient()) {
            String url = ShuttleJar.listeningUrl(serve);
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> last = null;
            for (int i = 0; i < 3; i++) {
                last = http.send(
                        HttpRequest.newBuilder(URI.create(url + "/v1/schema"))
                                .header("Authorization", "Bearer tk")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.add(last.statusCode());
            }
            assertThat(statuses).containsExactly(200, 200, 429);
            assertThat(last.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(last.body()).contains("RATE_LIMITED", "too many requests from this address");
            assertThat(http.send(
                                    HttpRequest.newBuilder(URI.create(url + "/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .as("health is never limited")
                    .isEqualTo(200);
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
