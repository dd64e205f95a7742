package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hubs over MariaDB, over real HTTP: two hub processes' engines on one MariaDB database, each with its
 * own connection pool, two SQLite devices cloned from them, writes from a plain MariaDB session (as the
 * {@code mariadb} client makes them) and from SQLite on both devices, a concurrent edit, and everyone
 * converging. MariaDB has no LISTEN/NOTIFY: a hub hears of the other's writes by polling the feed's
 * head ({@code watchEvery}); the delay is measured and printed.
 */
class MariaDbHubIT {
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void devicesOfTwoHubsOverOneMariaDbConverge() throws Exception {
        String url = MariaDb.freshDatabase();
        MariaDb.exec(
                url,
                "CREATE TABLE customer (id bigint PRIMARY KEY, name varchar(100) NOT NULL, balance decimal(12,2),"
                        + " note blob, seen timestamp(3) NULL DEFAULT NULL)",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, total double,"
                        + " FOREIGN KEY (customer_id) REFERENCES customer (id))",
                "INSERT INTO customer VALUES (1, 'Ada', 10.50, x'00ff', '2025-01-02 03:04:05.678'), (2, 'Grace', 0, NULL, NULL)",
                "INSERT INTO orders VALUES (1, 1, 9.99)");
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            Capture.enable(setup, CaptureOptions.allTables(), ProgressListener.NONE); // what shuttle init does
        }
        try (ShuttleDatabase db1 = HubDatabases.open(url, 4, Duration.ofSeconds(10));
                ShuttleDatabase db2 = HubDatabases.open(url, 4, Duration.ofSeconds(10));
                HubServer hub1 = start(SyncEngine.open(db1));
                HubServer hub2 = start(SyncEngine.open(db2))) {
            HttpTransport http1 = Fixtures.transport(hub1);
            HttpTransport http2 = Fixtures.transport(hub2);
            Path a = dir.resolve("a.db");
            Path b = dir.resolve("b.db");
            try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                    ShuttleDatabase dbB = ShuttleDatabase.sqlite(b)) {
                assertThat(DeviceClone.run(da, http1, ProgressListener.NONE).rows())
                        .isEqualTo(3);
                DeviceClone.run(dbB, http2, ProgressListener.NONE);
                assertThat(Fixtures.rows(a, "customer"))
                        .containsExactly(
                                // written at 03:04:05.678 by a session at the server's -11:00: an instant, in UTC
                                "1:Integer|Ada:String|10.50:String|00ff|2025-01-02T14:04:05.678Z:String",
                                "2:Integer|Grace:String|0.00:String|null:null|null:null");

                // hub 2's stream hears of a push to hub 1
                LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
                WebSocket ws = stream(hub2, events);
                assertThat(events.poll(5, TimeUnit.SECONDS)).isNotNull(); // the position when it opened

                Fixtures.sql(
                        a,
                        "INSERT INTO customer VALUES (3, 'from A', 1.25, x'01', NULL)",
                        "UPDATE customer SET name = 'Ada L.' WHERE id = 1");
                SyncEngine ea = SyncEngine.open(da);
                SyncEngine eb = SyncEngine.open(dbB);
                long pushed = System.nanoTime();
                ea.pullThenPush(http1);
                String heard = events.poll(5, TimeUnit.SECONDS);
                long heardMs = (System.nanoTime() - pushed) / 1_000_000;
                System.out.printf(
                        "MariaDbHubIT: hub 2 announced hub 1's write %d ms after the push began (poll every %d ms)%n",
                        heardMs, POLL.toMillis());
                assertThat(heard)
                        .as("hub 2 announces hub 1's write")
                        .isNotNull()
                        .contains("hubSeq");
                ws.abort();

                // writes on every side: the mariadb client on the hub, SQLite on both devices, a concurrent edit
                MariaDb.exec(
                        url,
                        "INSERT INTO customer VALUES (4, 'on the hub \u00e9\ud83d\ude00', 2, NULL, NULL)",
                        "UPDATE orders SET total = 19.5 WHERE id = 1");
                Fixtures.sql(
                        b,
                        "INSERT INTO orders VALUES (2, 2, 5.5)",
                        "UPDATE customer SET balance = '7.25' WHERE id = 2");
                Fixtures.sql(a, "UPDATE customer SET balance = '8.00' WHERE id = 2");
                for (int round = 0; round < 2; round++) {
                    eb.pullThenPush(http2);
                    ea.pullThenPush(http1);
                }
                for (String table : List.of("customer", "orders")) {
                    assertThat(Fixtures.rows(b, table)).as(table + " on B").isEqualTo(Fixtures.rows(a, table));
                }
                List<Map<String, Object>> hub =
                        MariaDb.query(url, "SELECT id, name, cast(balance AS char) balance FROM customer ORDER BY id");
                List<String> hubRows = new ArrayList<>();
                for (Map<String, Object> r : hub) {
                    hubRows.add(r.get("id") + "|" + r.get("name") + "|" + r.get("balance"));
                }
                List<String> deviceRows = new ArrayList<>();
                for (String r : Fixtures.rows(a, "customer")) {
                    String[] p = r.split("\\|");
                    deviceRows.add(p[0].split(":")[0] + "|" + p[1].substring(0, p[1].lastIndexOf(':')) + "|"
                            + p[2].substring(0, p[2].lastIndexOf(':')));
                }
                assertThat(deviceRows).isEqualTo(hubRows);
                assertThat(hubRows)
                        .contains("1|Ada L.|10.50", "3|from A|1.25", "4|on the hub \u00e9\ud83d\ude00|2.00")
                        .anyMatch(r -> r.equals("2|Grace|8.00") || r.equals("2|Grace|7.25"));
                assertThat(MariaDb.query(url, "SELECT total FROM orders WHERE id = 1")
                                .get(0)
                                .get("total"))
                        .isEqualTo(19.5);
                assertThat(ea.pendingChanges(DeviceClone.run(da, http1, ProgressListener.NONE)
                                .hubNode()))
                        .isZero();

                // what replaces LISTEN/NOTIFY, measured: writes made on the database directly (the mariadb
                // client), each heard on hub 2's stream by hub 2's poll of the feed's head
                LinkedBlockingQueue<String> direct = new LinkedBlockingQueue<>();
                WebSocket ws2 = stream(hub2, direct);
                assertThat(direct.poll(5, TimeUnit.SECONDS)).isNotNull();
                Thread.sleep(3 * POLL.toMillis());
                direct.clear(); // whatever was still on its way
                long[] delays = new long[20];
                for (int i = 0; i < delays.length; i++) {
                    long t0 = System.nanoTime();
                    MariaDb.exec(url, "INSERT INTO customer VALUES (" + (100 + i) + ", 'direct', 0, NULL, NULL)");
                    assertThat(direct.poll(5, TimeUnit.SECONDS))
                            .as("write %d heard", i)
                            .isNotNull();
                    delays[i] = (System.nanoTime() - t0) / 1_000_000;
                    Thread.sleep(i * 7 % 50); // writes at different phases of the poll
                }
                ws2.abort();
                java.util.Arrays.sort(delays);
                System.out.printf(
                        "MariaDbHubIT: a direct write heard on hub 2's stream after p50 %d ms, max %d ms (poll every %d ms,"
                                + " %d writes)%n",
                        delays[delays.length / 2], delays[delays.length - 1], POLL.toMillis(), delays.length);
                assertThat(delays[delays.length - 1]).isLessThan(POLL.toMillis() * 10);
            }
        }
    }

    private static HubServer start(SyncEngine engine) {
        return HubServer.builder(engine)
                .host("127.0.0.1")
                .port(0)
                .token(Fixtures.TOKEN)
                .watchEvery(POLL)
                .start();
    }

    private static WebSocket stream(HubServer hub, LinkedBlockingQueue<String> events) throws Exception {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + Fixtures.TOKEN)
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        events.add(data.toString());
                        w.request(1);
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
    }

    /** A MariaDB database as a hub's read database: refused by name, the hub not started. */
    @Test
    void aMariaDbReadDatabaseIsRefused() {
        String url = MariaDb.freshDatabase();
        MariaDb.exec(url, "CREATE TABLE note (id bigint PRIMARY KEY)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url);
                ShuttleDatabase replica = ShuttleDatabase.open(url)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            HubServer.Builder builder = HubServer.builder(SyncEngine.open(db));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> builder.readDatabase(replica))
                    .isInstanceOf(io.shuttlebridge.core.ShuttleException.class)
                    .hasMessageContaining("a read database is a PostgreSQL hot standby")
                    .hasMessageContaining("is on mariadb, which is not supported");
        }
    }
}
