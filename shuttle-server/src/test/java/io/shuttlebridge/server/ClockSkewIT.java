package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.ClockOffset;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.internal.ClockWatch;
import io.shuttlebridge.client.internal.DeviceMeta;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clock discipline over HTTP (DESIGN §8): every answer carries the hub's time, the schema its skew
 * bound; a change pushed stamped beyond the bound is re-stamped to the hub's clock and listed in the
 * answer; a device measures its clock's offset from the hub's and keeps it for {@code shuttle status}.
 */
class ClockSkewIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TEN_YEARS = Duration.ofDays(3652).toMillis();

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> send(HubServer hub, String method, String path, String body, String token)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(hub.url() + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", Protocol.JSON);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyAnswerCarriesTheHubsTimeAndTheSchemaItsSkewBound() throws Exception {
        long hubAhead = 3_600_000; // the hub's clock an hour ahead of this machine's: its time is its engine's
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.builder(hubDb)
                        .clock(() -> System.currentTimeMillis() + hubAhead)
                        .maxClockSkew(Duration.ofMinutes(2))
                        .build())) {
            String device = UUID.randomUUID().toString();
            String push =
                    WireCodec.pushRequest(device, List.of(change(device, 50, Hlc.pack(System.currentTimeMillis(), 0))));
            List<String[]> calls = List.of(
                    new String[] {"GET", "/health", null, null},
                    new String[] {"GET", "/metrics", null, Fixtures.TOKEN},
                    new String[] {"GET", "/v1/schema", null, Fixtures.TOKEN},
                    new String[] {"GET", "/v1/sync/pull?since=0&node=" + device, null, Fixtures.TOKEN},
                    new String[] {"GET", "/v1/sync/snapshot?after=0&node=" + device, null, Fixtures.TOKEN},
                    new String[] {
                        "POST",
                        "/v1/nodes/lease",
                        "{\"deviceKey\":\"k\",\"nodeUuid\":\"" + device + "\"}",
                        Fixtures.TOKEN
                    },
                    new String[] {"POST", "/v1/sync/push", push, Fixtures.TOKEN},
                    new String[] {"POST", "/v1/sync/push", "{not json", Fixtures.TOKEN}, // 400
                    new String[] {"GET", "/v1/schema", null, null}, // 401
                    new String[] {"GET", "/v1/nothing-here", null, Fixtures.TOKEN}); // 404
            for (String[] call : calls) {
                long before = System.currentTimeMillis() + hubAhead;
                HttpResponse<String> r = send(hub, call[0], call[1], call[2], call[3]);
                long after = System.currentTimeMillis() + hubAhead;
                String what = call[0] + " " + call[1] + " (" + r.statusCode() + ")";
                Optional<String> time = r.headers().firstValue("Shuttle-Hub-Time");
                assertThat(time).as(what).isPresent();
                assertThat(Long.parseLong(time.get())).as(what).isBetween(before, after);
            }
            JsonNode schema = JSON.readTree(
                    send(hub, "GET", "/v1/schema", null, Fixtures.TOKEN).body());
            assertThat(schema.at("/limits/maxClockSkewMs").asLong()).isEqualTo(120_000);
        }
    }

    @Test
    void aChangePushedBeyondTheBoundIsListedAsRestampedInTheAnswer() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            String device = UUID.randomUUID().toString();
            long now = System.currentTimeMillis();
            long within = Hlc.pack(now + 240_000, 0); // four minutes ahead: within the default 5
            long beyond = Hlc.pack(now + TEN_YEARS, 3);
            String body =
                    WireCodec.pushRequest(device, List.of(change(device, 60, within), change(device, 61, beyond)));
            JsonNode answer = JSON.readTree(
                    send(hub, "POST", "/v1/sync/push", body, Fixtures.TOKEN).body());
            assertThat(answer.get("applied").asInt()).isEqualTo(2);
            assertThat(answer.get("restamped")).hasSize(1);
            JsonNode x = answer.get("restamped").get(0);
            assertThat(x.get("index").asInt()).isEqualTo(1);
            assertThat(x.get("hlc").asText()).isEqualTo(Hlc.encode(beyond));
            assertThat(x.get("origin").asText()).isEqualTo(device);
            assertThat(x.get("aheadMs").asLong()).isBetween(TEN_YEARS - 60_000, TEN_YEARS);
            long newHlc = Hlc.decode(x.get("newHlc").asText());
            // the hub's next stamp, on its own clock
            assertThat(Hlc.millis(newHlc)).isBetween(now - 1, System.currentTimeMillis() + 240_000);

            // pushed again (its writer never heard), it gets the same stamp and counts as a duplicate
            JsonNode again = JSON.readTree(
                    send(hub, "POST", "/v1/sync/push", body, Fixtures.TOKEN).body());
            assertThat(again.get("duplicates").asInt()).isEqualTo(2);
            assertThat(again.at("/restamped/0/newHlc").asText())
                    .isEqualTo(x.get("newHlc").asText());
        }
    }

    @Test
    void aDeviceTenYearsAheadIsRestampedAndAnHonestLaterEditWinsEverywhere() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            HttpTransport toHub = Fixtures.transport(hub);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                    ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
                DeviceClone.run(da, toHub, ProgressListener.NONE);
                DeviceClone.run(db, toHub, ProgressListener.NONE);
                SyncEngine ea = SyncEngine.builder(da)
                        .clock(() -> System.currentTimeMillis() + TEN_YEARS)
                        .build();
                SyncEngine eb = SyncEngine.open(db);
                // A applies a hub write on its clock: its database's clock moves ten years ahead with it
                Fixtures.sql(dir.resolve("hub.db"), "INSERT INTO customer VALUES (5, 'on the hub', 0, NULL)");
                ea.pullThenPush(toHub);

                Fixtures.sql(a, "UPDATE customer SET name = 'A, ten years ahead' WHERE id = 1");
                SyncReport ra = ea.pullThenPush(toHub);
                assertThat(ra.restamped()).singleElement().satisfies(x -> {
                    assertThat(x.table()).isEqualTo("customer");
                    assertThat(x.key()).containsExactly(1L);
                    assertThat(x.aheadMillis()).isGreaterThan(TEN_YEARS - 60_000);
                    assertThat(Hlc.millis(x.newHlc())).isLessThanOrEqualTo(System.currentTimeMillis());
                });

                Thread.sleep(5);
                Fixtures.sql(b, "UPDATE customer SET name = 'B, later' WHERE id = 1"); // B has not synced since
                assertThat(eb.pullThenPush(toHub).restamped()).isEmpty();
                ea.pullThenPush(toHub);
                eb.pullThenPush(toHub);
                List<String> onHub = Fixtures.rows(dir.resolve("hub.db"), "customer");
                assertThat(onHub).anyMatch(r -> r.startsWith("1:Integer|B, later"));
                assertThat(Fixtures.rows(a, "customer")).isEqualTo(onHub);
                assertThat(Fixtures.rows(b, "customer")).isEqualTo(onHub);
            }
        }
    }

    @Test
    void aDeviceMeasuresItsClocksOffsetFromTheHubsAndKeepsIt() throws Exception {
        long hubBehind = 600_000; // the hub's clock ten minutes behind: this device is ten minutes ahead of it
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.builder(hubDb)
                        .clock(() -> System.currentTimeMillis() - hubBehind)
                        .build());
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
            HttpTransport toHub = Fixtures.transport(hub);
            assertThat(toHub.clockOffset()).isEmpty();
            DeviceClone.run(device, toHub, ProgressListener.NONE);
            SyncEngine.open(device).pullThenPush(toHub);

            ClockOffset o = toHub.clockOffset().orElseThrow();
            assertThat(o.offsetMillis()).isBetween(hubBehind - 1_000, hubBehind + 1_000);
            assertThat(o.hubBound()).isEqualTo(SyncEngine.DEFAULT_MAX_CLOCK_SKEW);
            assertThat(o.beyondBound()).isTrue();
            Optional<String> warning = new ClockWatch(device, toHub).measure();
            assertThat(warning)
                    .hasValueSatisfying(w -> assertThat(w)
                            .containsPattern(
                                    "this device's clock is (9 min 5\\d s|10 min|10 min \\d s) ahead of the hub's")
                            .contains("skew bound of 5 min"));
            assertThat(DeviceMeta.get(device, DeviceMeta.CLOCK_OFFSET).map(Long::parseLong))
                    .hasValueSatisfying(ms -> assertThat(ms).isBetween(hubBehind - 1_000, hubBehind + 1_000));
            assertThat(DeviceMeta.get(device, DeviceMeta.CLOCK_BOUND)).contains("300000");
        }
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
            HttpTransport toHub = Fixtures.transport(hub);
            SyncEngine.open(device).pullThenPush(toHub);
            assertThat(toHub.clockOffset().orElseThrow().beyondBound()).isFalse();
            assertThat(new ClockWatch(device, toHub).measure()).isEmpty();
            assertThat(DeviceMeta.get(device, DeviceMeta.CLOCK_OFFSET).map(Long::parseLong))
                    .hasValueSatisfying(ms -> assertThat(Math.abs(ms)).isLessThan(1_000));
        }
    }

    private static Change change(String origin, long id, long hlc) {
        return new Change(
                "customer", List.of(id), Op.UPSERT, Map.of("id", id, "name", "n" + id), hlc, origin, 1, 0, Map.of());
    }
}
