package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.Backoff;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled PostgreSQL hub whose every connection is held by someone else: a request that waits the
 * pool's timeout for one is answered 503 with Retry-After, changes nothing and is counted; a device
 * syncing meanwhile comes back after the wait asked for and succeeds once a connection is free.
 */
class PoolExhaustionIT {
    private static final Duration POOL_TIMEOUT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    @Test
    void aRequestFindingNoFreeConnectionIsRefused503WithRetryAfterAndADeviceRetriesItThrough() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)");
            setup.execute("INSERT INTO note VALUES (1, 'on the hub')");
            Capture.enable(setup);
        }
        try (ShuttleDatabase db = HubDatabases.open(url, 2, POOL_TIMEOUT);
                HubServer hub = Fixtures.start(SyncEngine.open(db));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = HttpTransport.builder(hub.url())
                    .token(Fixtures.TOKEN)
                    .backoff(new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 8))
                    .build();
            DeviceClone.run(device, transport, ProgressListener.NONE);
            device.execute("INSERT INTO note VALUES (2, 'written on the device')");
            long entries = count(url, "SELECT count(*) FROM _shuttle_feed");

            List<Connection> held = holdEveryConnection(db.dataSource().orElseThrow());
            CompletableFuture<SyncReport> sync;
            try {
                HttpResponse<String> push = send(hub, pushOf(hub, 3));
                assertThat(push.statusCode()).as(push.body()).isEqualTo(503);
                assertThat(push.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(push.body())
                        .contains("\"code\":\"UNAVAILABLE\"")
                        .contains("none of its database connections came free within 500 ms")
                        .contains("retry in 1 s");
                HttpResponse<String> pull = send(
                        hub,
                        HttpRequest.newBuilder(URI.create(hub.url() + Protocol.PULL + "?since=0"))
                                .header(Protocol.NODE_HEADER, UUID.randomUUID().toString())
                                .GET());
                assertThat(pull.statusCode()).as(pull.body()).isEqualTo(503);
                assertThat(pull.headers().firstValue("Retry-After")).hasValue("1");

                // a device syncing now is refused too, and retries after the wait the hub asks for
                sync = CompletableFuture.supplyAsync(
                        () -> SyncEngine.open(device).pullThenPush(transport));
                Thread.sleep(1_500);
                assertThat(sync).as("still waiting for a connection").isNotDone();
            } finally {
                for (Connection c : held) {
                    c.close();
                }
            }
            SyncReport report = sync.get(60, TimeUnit.SECONDS);
            assertThat(report.pushed()).isEqualTo(1);

            assertThat(hubRows(url)).as("the refused push changed nothing").containsExactly(1L, 2L);
            assertThat(count(url, "SELECT count(*) FROM _shuttle_feed")).isEqualTo(entries + 1);
            String metrics = send(hub, HttpRequest.newBuilder(URI.create(hub.url() + Protocol.METRICS)))
                    .body();
            assertThat(refusals(metrics, "pool busy")).as(metrics).isGreaterThanOrEqualTo(3);
            assertThat(refusals(metrics, "database unreachable")).isZero();

            // with connections free again, the same push goes through
            assertThat(send(hub, pushOf(hub, 3)).statusCode()).isEqualTo(200);
            assertThat(hubRows(url)).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void aPoolTimeoutBelowHikarisFloorIsRefusedNamingIt() {
        assertThatThrownBy(() -> HubDatabases.open("jdbc:postgresql://127.0.0.1:1/none", 2, Duration.ofMillis(100)))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("the pool timeout must be at least 250 ms, got PT0.1S")
                .extracting(e -> ((ShuttleException) e).code())
                .isEqualTo(ErrorCode.INVALID_ARGUMENT);
    }

    /** Borrows connections until the pool has none left (the hub's feed listener holds one of its own). */
    private static List<Connection> holdEveryConnection(DataSource pool) throws Exception {
        List<Connection> held = new ArrayList<>();
        while (true) {
            try {
                held.add(pool.getConnection());
            } catch (SQLTransientConnectionException none) {
                assertThat(held).as("connections held").isNotEmpty();
                return held;
            }
        }
    }

    private static HttpRequest.Builder pushOf(HubServer hub, long id) {
        String node = "7f2c3a10-0000-4000-8000-00000000000" + (id % 10);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put("body", "pushed while the pool was busy");
        Change change = new Change(
                "note",
                List.of(id),
                Op.UPSERT,
                values,
                System.currentTimeMillis() << Hlc.COUNTER_BITS,
                node,
                1,
                0,
                Map.of());
        return HttpRequest.newBuilder(URI.create(hub.url() + Protocol.PUSH))
                .header("Content-Type", Protocol.JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(WireCodec.pushRequestBytes(node, List.of(change))));
    }

    private static HttpResponse<String> send(HubServer hub, HttpRequest.Builder req) throws Exception {
        HttpRequest built = req.header("Authorization", "Bearer " + Fixtures.TOKEN)
                .timeout(Duration.ofSeconds(30))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The ids of the hub's notes, read on a connection of its own (the pool's may all be held). */
    private static List<Long> hubRows(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery("SELECT id FROM note ORDER BY id")) {
            List<Long> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    /** One number, read on a connection of its own. */
    private static long count(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double refusals(String metrics, String reason) {
        Matcher m = Pattern.compile("shuttle_db_pool_refusals_total\\{reason=\"" + reason + "\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }
}
