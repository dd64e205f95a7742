package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness apart from liveness, and the meters of a hub serving from a pool. */
class ReadinessIT {
    @TempDir
    Path dir;

    private static HttpResponse<String> get(HubServer hub, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(hub.url() + path));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPooledPostgresHubIsReadyAndShowsItsPoolStreamsAndLag() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)");
            Capture.enable(setup);
        }
        ShuttleDatabase db = HubDatabases.open(url, 4);
        try (HubServer hub = HubServer.builder(SyncEngine.open(db))
                .host("127.0.0.1")
                .port(0)
                .token(Fixtures.TOKEN)
                .start()) {
            long end = System.currentTimeMillis() + 10_000;
            HttpResponse<String> ready = get(hub, "/health/ready", null);
            while (!ready.body().contains("\"listener\":\"connected\"") && System.currentTimeMillis() < end) {
                Thread.sleep(50);
                ready = get(hub, "/health/ready", null);
            }
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body())
                    .contains("\"status\":\"ready\"")
                    .contains("\"database\":\"ok\"")
                    .contains("\"listener\":\"connected\"")
                    .contains("\"pool\":{")
                    .contains("\"max\":4");

            get(hub, "/v1/sync/pull?since=0&node=00000000-0000-4000-8000-000000000001", Fixtures.TOKEN);
            String metrics = get(hub, "/metrics", Fixtures.TOKEN).body();
            assertThat(metrics)
                    .contains("shuttle_db_pool_active")
                    .contains("shuttle_db_pool_pending")
                    .contains("shuttle_stream_notifications_sent_total")
                    .contains("shuttle_stream_notifications_coalesced_total")
                    .contains("shuttle_device_lag_changes_count");

            ((HikariDataSource) db.dataSource().orElseThrow()).close(); // the database goes away
            HttpResponse<String> gone = get(hub, "/health/ready", null);
            assertThat(gone.statusCode()).isEqualTo(503);
            assertThat(gone.body()).contains("\"status\":\"not ready\"").contains("unreachable");
            assertThat(get(hub, "/health", null).statusCode())
                    .as("alive all the same")
                    .isEqualTo(200);
        }
    }

    @Test
    void aSqliteHubIsReadyWithoutAListenerOrAPool() throws Exception {
        try (ShuttleDatabase db = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(db))) {
            HttpResponse<String> ready = get(hub, "/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("\"listener\":\"not used\"").doesNotContain("\"pool\"");
        }
    }
}
