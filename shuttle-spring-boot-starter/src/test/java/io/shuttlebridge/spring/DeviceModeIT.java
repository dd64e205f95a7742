package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.shuttlebridge.core.sync.SyncReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in device mode against a real hub on loopback: a Spring Boot application on a SQLite
 * file whose tables Flyway creates, captured at start-up and synced live in the background.
 */
@SpringBootTest(
        classes = DeviceApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "shuttle.mode=device",
            "shuttle.sync.token=" + TestHub.TOKEN,
            "shuttle.sync.interval=20s",
            "shuttle.capture.exclude-columns=note.updated_at",
            "spring.flyway.locations=classpath:db/device",
            "management.endpoints.web.exposure.include=health",
            "management.endpoint.health.show-details=always"
        })
class DeviceModeIT {
    @TempDir
    static Path dir;

    static TestHub hub;

    @BeforeAll
    static void startHub() {
        hub = TestHub.start(dir);
    }

    @AfterAll
    static void stopHub() {
        hub.close();
    }

    @DynamicPropertySource
    static void device(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", () -> "jdbc:sqlite:" + dir.resolve("device.db"));
        r.add("shuttle.sync.hub-url", () -> hub.url().toString());
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ShuttleSync sync;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    void captureIsEnabledOnTheApplicationsTablesAfterFlywayCreatedThem() {
        List<String> triggers = jdbc.queryForList(
                "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' GROUP BY tbl_name", String.class);
        assertThat(triggers).containsExactly("note");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history", Integer.class))
                .as("Flyway ran, and its table is not synced")
                .isEqualTo(1);
    }

    @Test
    void aRowTheApplicationWritesReachesTheHubInTheBackground() {
        jdbc.update("INSERT INTO note (id, title, body) VALUES ('d1', 'written on the device', 'offline')");
        Await.until(
                "the device's row at the hub",
                Duration.ofSeconds(15),
                () -> !hub.query("SELECT * FROM note WHERE id = 'd1'").isEmpty());
        assertThat(hub.query("SELECT title, body FROM note WHERE id = 'd1'"))
                .containsExactly(Map.of("title", "written on the device", "body", "offline"));
    }

    @Test
    void aRowWrittenAtTheHubArrivesOnTheStreamAndListenersHearIt() {
        hub.db.execute("INSERT INTO note (id, title) VALUES ('h1', 'written at the hub')");
        Await.until(
                "the hub's row on the device",
                Duration.ofSeconds(15),
                () -> jdbc.queryForObject("SELECT count(*) FROM note WHERE id = 'h1'", Integer.class) == 1);
        Await.until(
                "the listener hearing it",
                Duration.ofSeconds(5),
                () -> DeviceApp.HEARD.stream()
                        .anyMatch(c -> c.table().equals("note") && c.key().equals(List.of("h1"))));
        assertThat(sync.status().streamConnected()).isTrue();
    }

    @Test
    void syncOnDemandReportsWhatItDid() throws InterruptedException {
        hub.db.execute("INSERT INTO note (id, title) VALUES ('h2', 'pulled on demand')");
        jdbc.update("INSERT INTO note (id, title) VALUES ('d2', 'pushed on demand')");
        Thread.sleep(300); // a hub sees writes made straight into its database within its watch interval (50 ms)
        SyncReport r = sync.sync();
        // the background loop may have taken either already; between them, both went
        assertThat(jdbc.queryForObject("SELECT count(*) FROM note WHERE id = 'h2'", Integer.class))
                .isEqualTo(1);
        assertThat(hub.query("SELECT id FROM note WHERE id = 'd2'")).hasSize(1);
        assertThat(r.rejected()).isZero();
        ShuttleSyncStatus s = sync.status();
        assertThat(s.hubReachable()).isTrue();
        assertThat(s.hubNode()).isEqualTo(hub.engine.nodeUuid());
        assertThat(s.lastSuccess()).isNotNull();
        assertThat(s.lastError()).isNull();
    }

    @Test
    void theHealthIndicatorShowsTheHubLastSyncPendingChangesAndRejectedWrites() throws Exception {
        // a title the hub's CHECK refuses: the hub stores nothing, the device keeps it as a rejected write
        jdbc.update("INSERT INTO note (id, title) VALUES ('bad', ?)", "x".repeat(200));
        sync.sync();
        assertThat(hub.query("SELECT id FROM note WHERE id = 'bad'")).isEmpty();

        JsonNode health = get("/actuator/health/shuttle");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        JsonNode d = health.path("details");
        assertThat(d.path("mode").asText()).isEqualTo("device");
        assertThat(d.path("hub").asText()).isEqualTo(hub.url().toString());
        assertThat(d.path("hubReachable").asBoolean()).isTrue();
        assertThat(d.path("hubNode").asText()).isEqualTo(hub.engine.nodeUuid());
        assertThat(d.path("lastSync").asText()).isNotBlank();
        assertThat(d.path("pendingChanges").asLong()).isZero();
        assertThat(d.path("rejectedWrites").asLong()).isEqualTo(1);
        assertThat(d.has("lastError")).isFalse();

        jdbc.update("INSERT INTO note (id, title) VALUES ('p1', 'not pushed yet')");
        Thread.sleep(1100); // the counts are read at most once a second
        long pending = get("/actuator/health/shuttle")
                .path("details")
                .path("pendingChanges")
                .asLong();
        assertThat(pending).as("unless the live loop pushed it already").isBetween(0L, 1L);
    }

    @Test
    void metersAreOnTheApplicationsRegistry() {
        sync.sync();
        assertThat(meters.get("shuttle.device.syncs").functionCounter().count()).isPositive();
        assertThat(meters.get("shuttle.device.sync.failures").functionCounter().count())
                .isZero();
        Await.until( // the live stream connects in the background, at start-up or after a reconnect
                "the device's stream connected",
                Duration.ofSeconds(15),
                () -> meters.get("shuttle.device.stream.connected").gauge().value() == 1.0);
        assertThat(meters.get("shuttle.device.last.success.age").gauge().value())
                .isBetween(0.0, 30.0);
        assertThat(meters.get("shuttle.device.pending").gauge().value()).isGreaterThanOrEqualTo(0.0);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }
}
