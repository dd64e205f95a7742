package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.ShuttleFlywayCallback;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ShuttleFlywayCallback} with Flyway 13 on PostgreSQL: migrations run against the database of a
 * running hub whose feed-watch tick is an hour away, so only the callback can make it take them. A
 * migration run without the callback is not served; the next one, with it, is served at once, with the
 * column the first added, and a device that renamed a row offline takes both columns and their values.
 */
class FlywayCallbackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private static Flyway flyway(String url, String target, Callback... callbacks) {
        return Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/flyway-schemaevo")
                .target(target)
                .callbacks(callbacks)
                .load();
    }

    @Test
    void aMigrationOnARunningHubReachesDevicesThroughTheCallback() throws Exception {
        String url = Postgres.freshDatabase();
        assertThat(flyway(url, "1").migrate().migrationsExecuted).isEqualTo(1);
        try (ShuttleDatabase hubDb = ShuttleDatabase.open(url)) {
            Capture.enable(
                    hubDb,
                    io.shuttlebridge.core.capture.CaptureOptions.builder()
                            .tables(List.of("item"))
                            .build());
            SyncEngine hubEngine = SyncEngine.open(hubDb);
            try (HubServer hub = HubServer.builder(hubEngine)
                            .host("127.0.0.1")
                            .port(0)
                            .token(Fixtures.TOKEN)
                            .watchEvery(Duration.ofHours(1))
                            .start();
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                HttpTransport transport = Fixtures.transport(hub);
                DeviceClone.run(device, transport, ProgressListener.NONE);
                SyncEngine deviceEngine = SyncEngine.open(device);
                device.execute("UPDATE item SET name = 'uno' WHERE id = 1"); // offline, before any migration
                long v1 = schema(hub).path("schemaVersion").asLong();

                // without the callback: migrated, but neither captured nor served
                flyway(url, "2").migrate();
                assertThat(Capture.checkSchema(hubDb).safe())
                        .singleElement()
                        .asString()
                        .contains("\"item\".\"qty\"");
                Thread.sleep(300);
                assertThat(schema(hub).path("schemaVersion").asLong()).isEqualTo(v1);
                assertThat(columns(schema(hub))).containsExactly("id", "name");

                // with it: taken by the running hub as migrate returns
                assertThat(flyway(url, "latest", ShuttleFlywayCallback.refreshing(hubEngine))
                                .migrate()
                                .migrationsExecuted)
                        .isEqualTo(1);
                assertThat(Capture.checkSchema(hubDb).items()).isEmpty();
                assertThat(schema(hub).path("schemaVersion").asLong()).isNotEqualTo(v1);
                assertThat(columns(schema(hub))).containsExactly("id", "name", "qty", "note");
                hubDb.execute("UPDATE item SET qty = 8 WHERE id = 2"); // captured with the new column

                deviceEngine.pullThenPush(transport);
                List<String> expected = List.of("1|uno|7|null", "2|two|8|filled by V3");
                assertThat(rows(device)).containsExactlyElementsOf(expected);
                assertThat(rows(hubDb)).containsExactlyElementsOf(expected);
            }
        }
    }

    @Test
    void onADatabaseWithoutSyncTheCallbackDoesNothing() {
        String url = Postgres.freshDatabase();
        flyway(url, "latest", new ShuttleFlywayCallback()).migrate();
        assertThat(Postgres.count(url, "SELECT count(*) FROM pg_tables WHERE tablename LIKE '\\_shuttle\\_%'"))
                .isZero();
    }

    @Test
    void withoutAnEngineTheCallbackCapturesOnTheMigratedDatabase() {
        String url = Postgres.freshDatabase();
        flyway(url, "1").migrate();
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db);
            // V3 also creates a table: picked up, as capture covers every table
            flyway(url, "latest", new ShuttleFlywayCallback()).migrate();
            assertThat(Capture.checkSchema(db).items()).isEmpty();
            assertThat(SyncEngine.open(db).schemaVersion()).isNotZero();
            assertThat(Postgres.count(url, "SELECT count(*) FROM _shuttle_tables WHERE name = 'label'"))
                    .isEqualTo(1);
            db.execute("UPDATE item SET qty = 5 WHERE id = 1");
            SyncEngine engine = SyncEngine.open(db);
            assertThat(engine.servePull("00000000-0000-0000-0000-0000000000aa", 0, 100)
                            .changes())
                    .filteredOn(ch -> ch.table().equals("item") && ch.key().equals(List.of(1L)))
                    .singleElement()
                    .satisfies(ch -> assertThat(ch.values()).containsEntry("qty", 5L));
        }
    }

    private JsonNode schema(HubServer hub) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hub.url() + "/v1/schema"))
                        .header("Authorization", "Bearer " + Fixtures.TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> columns(JsonNode schema) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : schema.path("tables")) {
            if (t.path("name").asText().equals("item")) {
                t.path("columns").forEach(c -> out.add(c.path("name").asText()));
            }
        }
        return out;
    }

    private static List<String> rows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, name, qty, note FROM item ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getObject(3) + "|" + rs.getString(4));
                }
            }
            return out;
        });
    }
}
