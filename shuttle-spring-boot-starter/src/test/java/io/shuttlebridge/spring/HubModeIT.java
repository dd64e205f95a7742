package io.shuttlebridge.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The starter in hub mode: a Spring Boot application on (embedded) PostgreSQL whose table Flyway
 * creates serves the protocol from its own Tomcat, behind its own Spring Security chain (a resource
 * server whose JwtDecoder the hub uses too); devices clone and sync with it over real HTTP.
 */
@SpringBootTest(
        classes = HubModeIT.HubApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "shuttle.mode=hub",
            "shuttle.capture.exclude-columns=note.updated_at",
            "spring.flyway.locations=classpath:db/hub",
            "management.endpoints.web.exposure.include=health",
            "management.endpoint.health.show-details=always"
        })
class HubModeIT {
    static final byte[] SECRET = "a hub secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8);

    /** An application with Spring Security's resource server: its JwtDecoder checks HS256 tokens. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HubApp {
        @Bean
        JwtDecoder jwtDecoder() {
            return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(SECRET, "HmacSHA256"))
                    .build();
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        String url = Postgres.freshDatabase();
        r.add("spring.datasource.url", () -> url);
    }

    @TempDir
    Path dir;

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ShuttleHub hub;

    static String token(String subject) {
        return TokenIssuer.hs256(SECRET).issue(subject, Map.of(), Duration.ofMinutes(10), null, null);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    HttpTransport transport(String token) {
        return HttpTransport.builder(url()).token(token).build();
    }

    @Test
    void aDeviceClonesAndSyncsBothWaysThroughTheApplicationsServer() {
        jdbc.update("INSERT INTO note (id, title, due) VALUES ('h0', 'there before the clone', DATE '2026-01-02')");
        try (ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport alice = transport(token("alice"));
            DeviceClone.Result cloned = DeviceClone.run(device, alice, ProgressListener.NONE);
            assertThat(cloned.hubNode()).isEqualTo(hub.engine().nodeUuid());
            assertThat(TestHub.query(device, "SELECT id, title FROM note"))
                    .contains(Map.of("id", "h0", "title", "there before the clone"));

            device.execute("INSERT INTO note (id, title, due) VALUES ('d1', 'from the device', '2026-05-01')");
            SyncEngine engine = SyncEngine.open(device);
            SyncReport pushed = engine.pullThenPush(alice);
            assertThat(pushed.pushed()).isEqualTo(1);
            // a text date from SQLite lands in a DATE column
            assertThat(jdbc.queryForMap("SELECT title, due FROM note WHERE id = 'd1'"))
                    .containsEntry("title", "from the device")
                    .containsEntry("due", java.sql.Date.valueOf(LocalDate.of(2026, 5, 1)));

            jdbc.update("UPDATE note SET title = 'edited in the hub app' WHERE id = 'd1'");
            SyncReport pulled = engine.pullThenPush(alice);
            assertThat(pulled.applied()).isEqualTo(1);
            assertThat(TestHub.query(device, "SELECT title FROM note WHERE id = 'd1'"))
                    .containsExactly(Map.of("title", "edited in the hub app"));

            assertThat(meters.get("shuttle.changes.applied").counter().count())
                    .as("the hub's meters are on the application's registry")
                    .isPositive();

            // the subject of the application's token is the hub's subject: bob may not use alice's node
            assertThatThrownBy(() -> engine.pullThenPush(transport(token("bob"))))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        }
    }

    @Test
    void theApplicationsPoolGotTheEnginesConnectionSetting(@Autowired javax.sql.DataSource dataSource) {
        assertThat(((com.zaxxer.hikari.HikariDataSource) dataSource).getDataSourceProperties())
                .containsEntry("stringtype", "unspecified");
    }

    @Test
    void theApplicationsSecurityChainAndTheHubRefuseCallsWithoutAValidToken() throws Exception {
        HttpResponse<String> none = get("/v1/schema", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));

        String forged = TokenIssuer.hs256("another secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
                .issue("mallory", Map.of(), Duration.ofMinutes(10), null, null);
        assertThat(get("/v1/schema", forged).statusCode()).isEqualTo(401);

        HttpResponse<String> schema = get("/v1/schema", token("alice"));
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.headers().firstValue("Shuttle-Hub-Time")).isPresent();
        assertThat(new ObjectMapper().readTree(schema.body()).toString()).contains("\"note\"");

        HttpResponse<String> unknown = get("/v1/nowhere", token("alice"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(new ObjectMapper()
                        .readTree(unknown.body())
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("NOT_FOUND");
    }

    @Test
    void theHubsHealthAndTheApplicationsHealthIndicator() throws Exception {
        JsonNode own = new ObjectMapper().readTree(get("/health", token("ops")).body());
        assertThat(own.path("status").asText()).isEqualTo("ok");
        assertThat(own.path("hubNode").asText()).isEqualTo(hub.engine().nodeUuid());

        HttpResponse<String> r = get("/actuator/health/shuttle", token("ops"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = new ObjectMapper().readTree(r.body());
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("details").path("mode").asText()).isEqualTo("hub");
        assertThat(health.path("details").path("node").asText())
                .isEqualTo(hub.engine().nodeUuid());
        assertThat(health.path("details").has("feedPosition")).isTrue();
    }

    @Test
    void aDeviceApplicationSyncsLiveWithTheHubApplicationOverItsStream() {
        String token = token("device-app");
        try (ConfigurableApplicationContext device = new SpringApplicationBuilder(DeviceApp.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "shuttle.mode=device",
                        "shuttle.sync.hub-url=" + url(),
                        "shuttle.sync.token=" + token,
                        "shuttle.sync.interval=10m", // only the stream and local commits can explain a quick sync
                        "shuttle.capture.exclude-columns=note.updated_at",
                        "spring.datasource.url=jdbc:sqlite:" + dir.resolve("live-device.db"),
                        "spring.flyway.locations=classpath:db/device-of-hub")
                .run()) {
            ShuttleSync sync = device.getBean(ShuttleSync.class);
            JdbcTemplate deviceJdbc = device.getBean(JdbcTemplate.class);
            Await.until(
                    "the device's stream open",
                    Duration.ofSeconds(20),
                    () -> sync.status().streamConnected());
            Await.until("the hub counting the stream", Duration.ofSeconds(10), () -> hub.openStreams() > 0);

            deviceJdbc.update("INSERT INTO note (id, title) VALUES ('live-d', 'from the device app')");
            Await.until(
                    "the device app's row in the hub app's PostgreSQL",
                    Duration.ofSeconds(15),
                    () -> jdbc.queryForObject("SELECT count(*) FROM note WHERE id = 'live-d'", Integer.class) == 1);

            jdbc.update("INSERT INTO note (id, title) VALUES ('live-h', 'from the hub app')");
            Await.until(
                    "the hub app's row on the device, told by the stream",
                    Duration.ofSeconds(15),
                    () -> deviceJdbc.queryForObject("SELECT count(*) FROM note WHERE id = 'live-h'", Integer.class)
                            == 1);
        }
    }

    @Test
    void aStreamWithARefusedTokenIsNotOpened() throws Exception {
        String forged = TokenIssuer.hs256("another secret of thirty-two bytes or more".getBytes(StandardCharsets.UTF_8))
                .issue("mallory", Map.of(), Duration.ofMinutes(10), null, null);
        StreamRecorder heard = new StreamRecorder();
        WebSocket ws;
        try {
            ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + forged)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/v1/sync/stream"), heard)
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException refusedAtTheUpgrade) {
            assertThat(refusedAtTheUpgrade.getCause())
                    .isInstanceOfSatisfying(
                            WebSocketHandshakeException.class,
                            e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
            return;
        }
        // let through by the application's chain: the hub closes it at once, telling it nothing
        assertThat(heard.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1008);
        assertThat(heard.messages).isEmpty();
        ws.abort();
    }

    /** What a stream hears. */
    static final class StreamRecorder implements WebSocket.Listener {
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            messages.add(data.toString());
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(url().resolve(path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
