package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The meters an operator reads on {@code /metrics}, read over HTTP from a pooled PostgreSQL hub: the
 * pool's connections, how long pushes queued before their transaction (one count per push, each push
 * committed once), the transactions and how many pushes each committed, the open streams, the
 * notifications sent, coalesced and dropped, and how far behind the feed pulling devices were.
 */
class MetricsIT {
    private static final int DEVICES = 8;
    private static final int PUSHES = 6;
    private static final int ROWS = 5;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void metricsShowThePoolPushQueueStreamsNotificationsAndLag() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            setup.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
            Capture.enable(setup);
        }
        try (ShuttleDatabase db = HubDatabases.open(url, 4);
                HubServer hub = HubServer.builder(SyncEngine.open(db))
                        .host("127.0.0.1")
                        .port(0)
                        .token(Fixtures.TOKEN)
                        .start()) {
            List<String> heard = java.util.Collections.synchronizedList(new ArrayList<>());
            WebSocket stream = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + Fixtures.TOKEN)
                    .buildAsync(
                            URI.create(hub.url().toString().replace("http", "ws") + "/v1/sync/stream"),
                            new WebSocket.Listener() {
                                @Override
                                public java.util.concurrent.CompletionStage<?> onText(
                                        WebSocket ws, CharSequence data, boolean last) {
                                    heard.add(data.toString());
                                    ws.request(1);
                                    return null;
                                }
                            })
                    .join();
            long opened = System.currentTimeMillis() + 10_000; // the hub registers the stream once it has opened
            Map<String, Double> before = metrics(hub);
            while (before.get("shuttle_streams_open") < 1.0 && System.currentTimeMillis() < opened) {
                Thread.sleep(20);
                before = metrics(hub);
            }
            assertThat(before.get("shuttle_streams_open")).isEqualTo(1.0);

            ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> devices = new ArrayList<>();
            for (int d = 0; d < DEVICES; d++) {
                int device = d;
                devices.add(threads.submit(() -> push(hub, device, go)));
            }
            go.countDown();
            int applied = 0;
            for (Future<Integer> f : devices) {
                applied += f.get();
            }
            threads.shutdown();
            assertThat(applied).isEqualTo(DEVICES * PUSHES * ROWS);
            long top = db.read(c -> {
                try (var rs = c.createStatement().executeQuery("SELECT max(seq) FROM _shuttle_feed")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            // a device far behind pulls a short page: it was behind by the whole feed, not by the page
            HttpResponse<String> pulled = get(hub, "/v1/sync/pull?since=0&limit=10&node=" + UUID.randomUUID());
            assertThat(pulled.statusCode()).isEqualTo(200);
            long end = System.currentTimeMillis() + 10_000;
            while (heard.stream().noneMatch(m -> m.contains(Long.toString(top))) && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }

            Map<String, Double> m = metrics(hub);
            assertThat(m.get("shuttle_db_pool_max")).isEqualTo(4.0);
            assertThat(m).containsKeys("shuttle_db_pool_active", "shuttle_db_pool_idle", "shuttle_db_pool_pending");

            int pushes = DEVICES * PUSHES;
            assertThat(m.get("shuttle_push_queue_seconds_count"))
                    .as("one queue time per push")
                    .isEqualTo(pushes);
            assertThat(m)
                    .containsKeys(
                            "shuttle_push_queue_seconds{quantile=\"0.5\"}",
                            "shuttle_push_queue_seconds{quantile=\"0.99\"}",
                            "shuttle_push_queue_seconds_max");
            assertThat(m.get("shuttle_push_group_pushes_sum"))
                    .as("every push committed once, in a group or alone")
                    .isEqualTo(pushes);
            assertThat(m.get("shuttle_push_transaction_seconds_count"))
                    .isEqualTo(m.get("shuttle_push_group_pushes_count"))
                    .isBetween(1.0, (double) pushes);

            assertThat(m.get("shuttle_streams_open")).isEqualTo(1.0);
            assertThat(heard)
                    .as("the stream heard the feed's last position")
                    .anyMatch(x -> x.contains(Long.toString(top)));
            assertThat(m.get("shuttle_stream_notifications_sent_total")).isGreaterThanOrEqualTo(2.0);
            assertThat(m).containsKey("shuttle_stream_notifications_coalesced_total");
            assertThat(m.get("shuttle_stream_notifications_dropped_total"))
                    .as("nothing dropped on a healthy stream")
                    .isZero();

            assertThat(m.get("shuttle_device_lag_changes_count")).isGreaterThanOrEqualTo(1.0);
            assertThat(m)
                    .containsKeys(
                            "shuttle_device_lag_changes{quantile=\"0.5\"}",
                            "shuttle_device_lag_changes{quantile=\"0.99\"}");
            assertThat(m.get("shuttle_device_lag_changes_max"))
                    .as("the far-behind device's lag: the feed's position, not its short page")
                    .isEqualTo(top);
            stream.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }

    /** One device's pushes of {@link #ROWS} new rows each over HTTP; the rows the hub applied. */
    private int push(HubServer hub, int device, CountDownLatch go) throws Exception {
        String node = UUID.randomUUID().toString();
        go.await();
        long hlc = System.currentTimeMillis() << Hlc.COUNTER_BITS;
        int applied = 0;
        for (int p = 0; p < PUSHES; p++) {
            List<Change> changes = new ArrayList<>();
            for (int i = 0; i < ROWS; i++) {
                long id = device * 1_000_000L + p * ROWS + i;
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("id", id);
                values.put("name", "d" + device + " " + id);
                changes.add(new Change("item", List.of(id), Op.UPSERT, values, ++hlc, node, 1, 0, Map.of()));
            }
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(hub.url() + "/v1/sync/push"))
                            .header("Authorization", "Bearer " + Fixtures.TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(WireCodec.pushRequestBytes(node, changes)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            java.util.regex.Matcher a =
                    java.util.regex.Pattern.compile("\"applied\":(\\d+)").matcher(r.body());
            assertThat(a.find()).as(r.body()).isTrue();
            applied += Integer.parseInt(a.group(1));
        }
        return applied;
    }

    private HttpResponse<String> get(HubServer hub, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(hub.url() + path))
                        .header("Authorization", "Bearer " + Fixtures.TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The samples of {@code /metrics}, by name with their labels as written. */
    private Map<String, Double> metrics(HubServer hub) throws Exception {
        HttpResponse<String> r = get(hub, "/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }
}
