package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rate limits over real HTTP on a clock the test moves: per subject with JWTs, per address with a
 * shared token; 429 RATE_LIMITED with Retry-After changes nothing; health is never limited; a
 * device's transport waits what the hub asks and tries again.
 */
class RateLimitIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final TokenIssuer ISSUER = TokenIssuer.hs256(SECRET);
    private static final String ALICE = ISSUER.issue("alice", Map.of(), Duration.ofHours(1), null, null);
    private static final String BOB = ISSUER.issue("bob", Map.of(), Duration.ofHours(1), null, null);

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ShuttleDatabase hubDb;
    private SyncEngine engine;
    private HubServer hub;

    @BeforeEach
    void open() throws Exception {
        hubDb = Fixtures.hubDatabase(dir);
        engine = SyncEngine.open(hubDb);
    }

    @AfterEach
    void close() {
        if (hub != null) {
            hub.close();
        }
        hubDb.close();
    }

    private void serve(HubServer.Builder b) {
        hub = b.host("0.0.0.0").port(0).clock(now::get).start();
    }

    @Test
    void aSubjectOverItsLimitIsAnswered429WithRetryAfterAndNothingChanges() throws Exception {
        serve(HubServer.builder(engine)
                .authenticator(JwtAuthenticator.hs256(SECRET).build())
                .rateLimit(2, 3));
        String node = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            assertThat(get(http, "/v1/schema", ALICE).statusCode()).isEqualTo(200);
        }
        long position = engine.feedPosition();
        List<String> rows = Fixtures.rows(dir.resolve("hub.db"), "customer");
        HttpResponse<String> limited = push(ALICE, node, 7);
        assertThat(limited.statusCode()).as(limited.body()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        JsonNode error = JSON.readTree(limited.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("RATE_LIMITED");
        assertThat(error.get("message").asText())
                .contains("too many requests from this subject", "2 a second (bursts of 3)", "retry after 1 s");
        assertThat(ErrorCode.RATE_LIMITED.httpStatus()).isEqualTo(429);
        assertThat(engine.feedPosition()).isEqualTo(position);
        assertThat(Fixtures.rows(dir.resolve("hub.db"), "customer")).isEqualTo(rows);
        assertThat(HubTables.query(dir.resolve("hub.db"), "SELECT count(*) FROM _shuttle_node_subjects"))
                .containsExactly("0"); // the refused push bound no node either

        assertThat(get(http, "/v1/schema", BOB).statusCode())
                .as("bob has a bucket of his own")
                .isEqualTo(200);
        for (int i = 0; i < 20; i++) {
            assertThat(get(http, "/health", null).statusCode())
                    .as("health is never limited")
                    .isEqualTo(200);
        }
        HttpResponse<String> badToken = get(http, "/v1/schema", "not.a.token");
        assertThat(badToken.statusCode()).as("authentication comes first").isEqualTo(401);

        now.addAndGet(500); // half a second: one request more
        assertThat(push(ALICE, node, 7).statusCode()).isEqualTo(200);
        assertThat(get(http, "/v1/schema", ALICE).statusCode()).isEqualTo(429);
    }

    @Test
    void theStreamsUpgradeIsLimitedToo() throws Exception {
        serve(HubServer.builder(engine)
                .authenticator(JwtAuthenticator.hs256(SECRET).build())
                .rateLimit(1, 1));
        assertThat(get(http, "/v1/schema", ALICE).statusCode()).isEqualTo(200);
        Throwable refused = catchThrowable(() -> http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + ALICE)
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), new WebSocket.Listener() {})
                .join());
        assertThat(refused).isInstanceOf(CompletionException.class);
        HttpResponse<?> answer = ((WebSocketHandshakeException) refused.getCause()).getResponse();
        assertThat(answer.statusCode()).isEqualTo(429);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
    }

    @Test
    void withASharedTokenEachAddressHasABucket() throws Exception {
        serve(HubServer.builder(engine).token(Fixtures.TOKEN).rateLimit(1, 2));
        HttpClient other = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .localAddress(InetAddress.getByName("127.0.0.2"))
                .build();
        assertThat(get(http, "/v1/schema", Fixtures.TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(http, "/v1/schema", Fixtures.TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = get(http, "/v1/schema", Fixtures.TOKEN);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("too many requests from this address");
        assertThat(get(other, "/v1/schema", Fixtures.TOKEN).statusCode())
                .as("another address")
                .isEqualTo(200);
    }

    @Test
    void aDevicesTransportWaitsWhatTheHubAsksAndTriesAgain() {
        serve(HubServer.builder(engine)
                .authenticator(JwtAuthenticator.hs256(SECRET).build())
                .rateLimit(1, 1));
        List<Duration> waits = new ArrayList<>();
        HttpTransport device = HttpTransport.builder(URI.create("http://127.0.0.1:" + hub.port()))
                .token(ALICE)
                .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 3))
                .sleeper(d -> {
                    waits.add(d);
                    now.addAndGet(d.toMillis()); // the wait passes on the hub's clock
                })
                .build();
        String node = UUID.randomUUID().toString();
        device.hubNode(); // the schema: the one request of the burst
        assertThat(device.push(node, List.of(change(node, 9))).applied()).isEqualTo(1);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));

        HttpTransport impatient = HttpTransport.builder(URI.create("http://127.0.0.1:" + hub.port()))
                .token(BOB)
                .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(10), 3))
                .sleeper(waits::add) // waits that do not pass: every try is refused
                .build();
        waits.clear();
        impatient.hubNode(); // the one request of bob's burst
        ShuttleException e = catchThrowableOfType(
                ShuttleException.class, () -> impatient.pull(UUID.randomUUID().toString(), 0, 10));
        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(waits).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    @Test
    void theBuilderRefusesARateOrBurstBelowOne() {
        assertThat(catchThrowable(() -> HubServer.builder(engine).rateLimit(0, 1)))
                .hasMessageContaining("at least 1 request a second, got 0");
        assertThat(catchThrowable(() -> HubServer.builder(engine).rateLimit(5, 0)))
                .hasMessageContaining("burst must be at least 1 request, got 0");
    }

    private HttpResponse<String> get(HttpClient client, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> push(String token, String node, long id) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hub.port() + "/v1/sync/push"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                WireCodec.pushRequest(node, List.of(change(node, id)))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Change change(String node, long id) {
        return new Change(
                "customer",
                List.of(id),
                Op.UPSERT,
                Map.of("id", id, "name", "n" + id),
                Hlc.pack(System.currentTimeMillis(), 0),
                node,
                1,
                0,
                Map.of());
    }
}
