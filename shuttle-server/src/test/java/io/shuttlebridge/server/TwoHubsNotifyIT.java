package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two hub processes over one PostgreSQL database: a push to one reaches the stream clients of the
 * other through LISTEN/NOTIFY (its own feed check is set to once an hour, so nothing else could),
 * and a device of the second hub pulls the change.
 */
class TwoHubsNotifyIT {

    @Test
    void aPushToOneHubIsAnnouncedByTheOtherAndReachesItsDevices() throws Exception {
        String url = Postgres.freshDatabase();
        Postgres.exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text)");
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            Capture.enable(setup, CaptureOptions.allTables(), ProgressListener.NONE);
        }
        try (ShuttleDatabase db1 = ShuttleDatabase.open(url);
                ShuttleDatabase db2 = ShuttleDatabase.open(url)) {
            SyncEngine e1 = SyncEngine.open(db1);
            SyncEngine e2 = SyncEngine.open(db2);
            try (HubServer hub1 = HubServer.builder(e1)
                            .host("127.0.0.1")
                            .port(0)
                            .token(Fixtures.TOKEN)
                            .watchEvery(Duration.ofHours(1))
                            .start();
                    HubServer hub2 = HubServer.builder(e2)
                            .host("127.0.0.1")
                            .port(0)
                            .token(Fixtures.TOKEN)
                            .watchEvery(Duration.ofHours(1))
                            .start()) {
                awaitListening(hub2); // its LISTEN starts on a thread of its own: a write before it is not heard
                LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
                WebSocket ws = HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .header("Authorization", "Bearer " + Fixtures.TOKEN)
                        .buildAsync(
                                URI.create("ws://127.0.0.1:" + hub2.port() + "/v1/sync/stream"),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                        events.add(data.toString());
                                        w.request(1);
                                        return null;
                                    }
                                })
                        .get(5, TimeUnit.SECONDS);
                String first = events.poll(5, TimeUnit.SECONDS); // the position when the stream opened
                assertThat(first).isNotNull();

                String device = UUID.randomUUID().toString();
                HttpTransport toHub1 =
                        HttpTransport.builder(hub1.url()).token(Fixtures.TOKEN).build();
                var pushed = toHub1.push(
                        device,
                        List.of(new Change(
                                "note",
                                List.of(1L),
                                Op.UPSERT,
                                Map.of("id", 1L, "body", "via hub 1"),
                                (System.currentTimeMillis() << 16),
                                device,
                                1,
                                0,
                                Map.of())));
                assertThat(pushed.applied()).isEqualTo(1);

                String heard = events.poll(5, TimeUnit.SECONDS);
                assertThat(heard)
                        .as("hub 2 announces hub 1's write")
                        .isNotNull()
                        .contains("hubSeq")
                        .isNotEqualTo(first);

                HttpTransport toHub2 =
                        HttpTransport.builder(hub2.url()).token(Fixtures.TOKEN).build();
                var page = toHub2.pull(UUID.randomUUID().toString(), 0, 100);
                assertThat(page.changes())
                        .singleElement()
                        .satisfies(c -> assertThat(c.values()).containsEntry("body", "via hub 1"));
                ws.abort();
            }
        }
    }

    /** Waits (up to 30 s) until the hub's readiness says its feed listener is connected. */
    private static void awaitListening(HubServer hub) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String body = "";
        while (System.nanoTime() < end) {
            body = http.send(
                            java.net.http.HttpRequest.newBuilder(URI.create(hub.url() + "/health/ready"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body();
            if (body.contains("\"listener\":\"connected\"")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub's feed listener did not connect: " + body);
    }
}
