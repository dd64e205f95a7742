package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP contract of DESIGN §6 as a client without our library sees it: statuses, JSON errors, limits, idempotency. */
class ProtocolIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEVICE = UUID.randomUUID().toString();

    @TempDir
    Path dir;

    private ShuttleDatabase hubDb;
    private SyncEngine engine;
    private HubServer hub;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        hubDb = Fixtures.hubDatabase(dir);
        engine = SyncEngine.open(hubDb);
        hub = Fixtures.start(engine);
    }

    @AfterEach
    void stop() {
        hub.close();
        hubDb.close();
    }

    @Test
    void healthNeedsNoTokenEverythingElseDoes() throws Exception {
        assertThat(send("GET", "/health", null, null).statusCode()).isEqualTo(200);
        for (String path : List.of("/metrics", "/v1/schema", "/v1/sync/pull?node=" + DEVICE)) {
            HttpResponse<String> r = send("GET", path, null, null);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("UNAUTHORIZED");
        }
        assertThat(send("GET", "/v1/schema", null, "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> schema = send("GET", "/v1/schema", null, Fixtures.TOKEN);
        assertThat(schema.statusCode()).isEqualTo(200);
        JsonNode tables = JSON.readTree(schema.body()).get("tables");
        assertThat(tables.get(0).get("name").asText()).isEqualTo("customer");
        assertThat(tables.get(0).at("/columns/2/type").asText()).isEqualTo("NUMERIC(12,2)");
    }

    @Test
    void pushIsIdempotentAndPullLeavesOutTheCallersOwnChanges() throws Exception {
        String body = WireCodec.pushRequest(DEVICE, List.of(change(10, "ten"), change(11, "eleven")));
        JsonNode first = JSON.readTree(
                send("POST", "/v1/sync/push", body, Fixtures.TOKEN).body());
        assertThat(first.get("applied").asInt()).isEqualTo(2);
        JsonNode again = JSON.readTree(
                send("POST", "/v1/sync/push", body, Fixtures.TOKEN).body());
        assertThat(again.get("applied").asInt()).isZero();
        assertThat(again.get("duplicates").asInt()).isEqualTo(2);
        assertThat(again.get("hubSeq").asLong()).isEqualTo(first.get("hubSeq").asLong());

        JsonNode mine = JSON.readTree(send("GET", "/v1/sync/pull?since=0&limit=50&node=" + DEVICE, null, Fixtures.TOKEN)
                .body());
        assertThat(mine.get("changes")).hasSize(3); // the hub's own rows, not the two this device pushed
        assertThat(mine.get("more").asBoolean()).isFalse();
        JsonNode other = JSON.readTree(
                send("GET", "/v1/sync/pull?since=0&limit=2&node=" + UUID.randomUUID(), null, Fixtures.TOKEN)
                        .body());
        assertThat(other.get("changes")).hasSize(2);
        assertThat(other.get("more").asBoolean()).isTrue();

        HttpResponse<String> noNode = send("GET", "/v1/sync/pull?since=0", null, Fixtures.TOKEN);
        assertThat(noNode.statusCode()).isEqualTo(400);
        assertThat(noNode.body()).contains("X-Shuttle-Node");
        assertThat(send("GET", "/v1/sync/pull?since=x&node=" + DEVICE, null, Fixtures.TOKEN)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void malformedOversizedAndTooLongBatchesAreRefusedAndChangeNothing() throws Exception {
        long before = engine.feedPosition();
        String good = ChangeJson.of(change(20, "fine"));
        String bad = "{\"nodeUuid\":\"" + DEVICE + "\",\"changes\":[" + good
                + ",{\"table\":\"customer\",\"key\":[21],\"op\":\"UPSERT\"}]}";
        HttpResponse<String> r = send("POST", "/v1/sync/push", bad, Fixtures.TOKEN);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(r.body()).at("/error/code").asText()).isEqualTo("MALFORMED_PAYLOAD");
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).contains("changes[1]");

        assertThat(send("POST", "/v1/sync/push", "{not json", Fixtures.TOKEN).statusCode())
                .isEqualTo(400);
        // a change of a table the hub does not sync is refused alone, as a rejected write (DESIGN §10)
        String unknownTable = WireCodec.pushRequest(
                DEVICE,
                List.of(new Change(
                        "nope",
                        List.of(1L),
                        Op.UPSERT,
                        Map.of("id", 1L),
                        Hlc.pack(System.currentTimeMillis(), 0),
                        DEVICE,
                        1,
                        0,
                        Map.of())));
        HttpResponse<String> mismatch = send("POST", "/v1/sync/push", unknownTable, Fixtures.TOKEN);
        assertThat(mismatch.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(mismatch.body()).at("/rejected/0/code").asText())
                .isEqualTo("SCHEMA_MISMATCH");

        List<Change> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add(change(100 + i, "n" + i));
        }
        HttpResponse<String> tooMany =
                send("POST", "/v1/sync/push", WireCodec.pushRequest(DEVICE, many), Fixtures.TOKEN);
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("at most 100");

        String huge = WireCodec.pushRequest(DEVICE, List.of(change(30, "x".repeat(70_000))));
        HttpResponse<String> big = send("POST", "/v1/sync/push", huge, Fixtures.TOKEN);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(big.body()).at("/error/code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");

        assertThat(engine.feedPosition()).isEqualTo(before);
        assertThat(Fixtures.rows(dir.resolve("hub.db"), "customer")).hasSize(2);
    }

    @Test
    void metricsCountPushesAndResponsesAreGzippedOnRequest() throws Exception {
        send("POST", "/v1/sync/push", WireCodec.pushRequest(DEVICE, List.of(change(40, "m"))), Fixtures.TOKEN);
        String metrics = send("GET", "/metrics", null, Fixtures.TOKEN).body();
        assertThat(metrics)
                .contains(
                        "shuttle_changes_pushed_total 1.0",
                        "shuttle_changes_applied_total 1.0",
                        "shuttle_streams_open",
                        "shuttle_http_requests_seconds_count",
                        "shuttle_conflicts_total");

        HttpRequest req = HttpRequest.newBuilder(URI.create(hub.url() + "/v1/sync/snapshot?after=0&node=" + DEVICE))
                .header("Authorization", "Bearer " + Fixtures.TOKEN)
                .header("Accept-Encoding", "gzip")
                .build();
        for (int i = 0; i < 60; i++) {
            Fixtures.sql(
                    dir.resolve("hub.db"),
                    "INSERT INTO customer VALUES (" + (500 + i) + ", 'padding row to make the page large', 1, NULL)");
        }
        HttpResponse<byte[]> gz = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(gz.headers().firstValue("Content-Encoding")).hasValue("gzip");
        JsonNode page = JSON.readTree(new GZIPInputStream(new ByteArrayInputStream(gz.body())).readAllBytes());
        assertThat(page.get("changes").size()).isGreaterThan(60);
        assertThat(page.get("hubSeq").asLong()).isPositive();
    }

    @Test
    void everyErrorAnswerCarriesAnErrorCodeWithItsOwnStatus() throws Exception {
        List<HttpResponse<String>> answers = List.of(
                send("GET", "/v1/schema", null, null),
                send("GET", "/v1/nowhere", null, Fixtures.TOKEN),
                send("DELETE", "/v1/sync/push", null, Fixtures.TOKEN),
                send("POST", "/v1/sync/push", "{not json", Fixtures.TOKEN),
                send("GET", "/v1/sync/pull?since=x&node=" + DEVICE, null, Fixtures.TOKEN),
                send("POST", "/v1/sync/push", "x".repeat(70_000), Fixtures.TOKEN));
        for (HttpResponse<String> r : answers) {
            String code = JSON.readTree(r.body()).at("/error/code").asText();
            assertThat(ErrorCode.valueOf(code).httpStatus())
                    .as(r.request().method() + " " + r.request().uri().getPath() + " answered " + r.body())
                    .isEqualTo(r.statusCode());
        }
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 404, 404, 400, 400, 413);
    }

    private Change change(long id, String name) {
        return new Change(
                "customer",
                List.of(id),
                Op.UPSERT,
                Map.of("id", id, "name", name, "balance", new BigDecimal("1.10")),
                Hlc.pack(System.currentTimeMillis(), 0),
                DEVICE,
                1,
                0,
                Map.of());
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final class ChangeJson {
        static String of(Change c) {
            return ChangeCodec.toJson(ChangeCodec.change(c));
        }
    }
}
