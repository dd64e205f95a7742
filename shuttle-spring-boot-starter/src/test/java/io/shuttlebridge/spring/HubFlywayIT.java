package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.ShuttleFlywayCallback;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hub mode with Flyway: the starter hands Flyway a {@link ShuttleFlywayCallback}, so a migration run
 * while the hub serves (here: the application's own Flyway configuration with one more location) is
 * taken by the hub's engine as migrate returns, and a device that renamed a row offline gets the new
 * column with the hub's values.
 */
@SpringBootTest(
        classes = DeviceApp.class, // no security; the device-mode listener bean is unused here
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "shuttle.mode=hub",
            "shuttle.hub.token=" + HubFlywayIT.TOKEN,
            "spring.flyway.locations=classpath:db/hub-evolving"
        })
class HubFlywayIT {
    static final String TOKEN = "the-hub-apps-shared-token";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        String url = Postgres.freshDatabase();
        r.add("spring.datasource.url", () -> url);
    }

    @LocalServerPort
    int port;

    @Autowired
    Flyway flyway;

    @Autowired
    ShuttleHub hub;

    @TempDir
    Path dir;

    @Test
    void aMigrationWhileTheHubServesReachesDevices() throws Exception {
        assertThat(Arrays.asList(flyway.getConfiguration().getCallbacks()))
                .hasAtLeastOneElementOfType(ShuttleFlywayCallback.class);
        HttpTransport transport = HttpTransport.builder(URI.create("http://127.0.0.1:" + port))
                .token(TOKEN)
                .build();
        try (ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            DeviceClone.run(device, transport, ProgressListener.NONE);
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            long before = hub.engine().schemaVersion();

            Flyway next = Flyway.configure()
                    .configuration(flyway.getConfiguration())
                    .locations("classpath:db/hub-evolving", "classpath:db/hub-evolving-next")
                    .load();
            assertThat(next.migrate().migrationsExecuted).isEqualTo(1);
            assertThat(hub.engine().schemaVersion())
                    .as("taken as migrate returns")
                    .isNotEqualTo(before);
            assertThat(columns(get("/v1/schema"))).containsExactly("id", "name", "qty");

            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(transport);
            assertThat(TestHub.query(device, "SELECT id, name, qty FROM item ORDER BY id"))
                    .containsExactly(
                            Map.of("id", 1, "name", "uno", "qty", 7), Map.of("id", 2, "name", "two", "qty", 9));
            assertThat(TestHub.query(hub.engine().database(), "SELECT id, name, qty FROM item ORDER BY id"))
                    .containsExactly(
                            Map.of("id", 1L, "name", "uno", "qty", 7), Map.of("id", 2L, "name", "two", "qty", 9));
        }
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", "Bearer " + TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
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
}
