package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.LiveSync;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream: connected devices hear of feed advances; live devices converge within moments and survive a hub restart. */
class StreamIT {
    @TempDir
    Path dir;

    @Test
    void streamAnnouncesPushesAndDirectHubWrites() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .header("Authorization", "Bearer " + Fixtures.TOKEN)
                    .buildAsync(
                            URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                    events.add(data.toString());
                                    w.request(1);
                                    return null;
                                }
                            })
                    .get(5, TimeUnit.SECONDS);
            assertThat(events.poll(5, TimeUnit.SECONDS)).startsWith("{\"hubSeq\":");
            Fixtures.sql(dir.resolve("hub.db"), "INSERT INTO customer VALUES (7, 'direct', 0, NULL)");
            String event = events.poll(5, TimeUnit.SECONDS);
            assertThat(event).isNotNull().contains("hubSeq");
            assertThat(hub.openStreams()).isEqualTo(1);
            ws.abort();

            var refused = Assertions.catchThrowable(() -> HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(
                            URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), new WebSocket.Listener() {})
                    .get(5, TimeUnit.SECONDS));
            assertThat(refused).hasCauseInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) refused.getCause())
                            .getResponse()
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void liveDevicesConvergeAndReconnectAfterTheHubRestarts() throws Exception {
        ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
        SyncEngine hubEngine = SyncEngine.open(hubDb);
        HubServer hub = Fixtures.start(hubEngine);
        int port = hub.port();
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
            HttpTransport http = Fixtures.transport(hub);
            String hubNode = DeviceClone.run(da, http, ProgressListener.NONE).hubNode();
            DeviceClone.run(db, http, ProgressListener.NONE);
            LiveSync.Settings fast =
                    new LiveSync.Settings(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(30));
            try (LiveSync la = LiveSync.start(SyncEngine.open(da), http, hubNode, fast, LiveSync.Listener.NONE);
                    LiveSync lb = LiveSync.start(SyncEngine.open(db), http, hubNode, fast, LiveSync.Listener.NONE)) {
                await(() -> la.connected() && lb.connected());
                Fixtures.sql(a, "INSERT INTO customer VALUES (100, 'live from A', 1, NULL)");
                await(() -> rows(b).stream().anyMatch(r -> r.contains("live from A")));

                hub.close();
                await(() -> !lb.connected());
                hub = HubServer.builder(hubEngine)
                        .host("127.0.0.1")
                        .port(port)
                        .token(Fixtures.TOKEN)
                        .watchEvery(Duration.ofMillis(50))
                        .start();
                await(() -> la.connected() && lb.connected());
                Fixtures.sql(b, "UPDATE customer SET name = 'after restart' WHERE id = 100");
                await(() -> rows(a).stream().anyMatch(r -> r.contains("after restart")));
                await(() -> rows(a).equals(rows(dir.resolve("hub.db"))) && rows(b).equals(rows(dir.resolve("hub.db"))));
            }
        } finally {
            hub.close();
            hubDb.close();
        }
    }

    private List<String> rows(Path file) {
        try {
            return Fixtures.rows(file, "customer");
        } catch (SQLException e) {
            return List.of();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            Thread.sleep(20);
        }
    }
}
