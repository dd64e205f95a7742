package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream's fan-out: many streams all hear the latest feed position after a burst of writes
 * (positions in between may be coalesced); a device that said it was alive and then fell silent is
 * dropped, one that never says anything is kept.
 */
class StreamFanoutIT {
    private static final Pattern SEQ = Pattern.compile("\"hubSeq\":(\\d+)");

    @TempDir
    Path dir;

    /** One stream as a device would open it, noting the latest position heard and whether the hub closed it. */
    private static final class Stream implements WebSocket.Listener {
        final AtomicLong latest = new AtomicLong(-1);
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            Matcher m = SEQ.matcher(data);
            if (m.find()) {
                latest.accumulateAndGet(Long.parseLong(m.group(1)), Math::max);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
            closed.complete(status);
            return null;
        }

        static Stream open(HttpClient http, HubServer hub) throws Exception {
            Stream s = new Stream();
            s.socket = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + Fixtures.TOKEN)
                    .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), s)
                    .get(10, TimeUnit.SECONDS);
            return s;
        }
    }

    @Test
    void everyStreamHearsTheLatestPositionAfterABurstOfWrites() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            HttpClient http = HttpClient.newHttpClient();
            List<Stream> streams = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                streams.add(Stream.open(http, hub));
            }
            for (int i = 0; i < 40; i++) {
                Fixtures.sql(dir.resolve("hub.db"), "INSERT INTO customer VALUES (" + (100 + i) + ", 'c', 0, NULL)");
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long position = -1;
            while (System.nanoTime() < end) {
                position = hubDb.read(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT max(seq) FROM _shuttle_feed")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                });
                long p = position;
                if (position > 0 && streams.stream().allMatch(s -> s.latest.get() >= p)) {
                    break;
                }
                Thread.sleep(50);
            }
            long p = position;
            assertThat(streams.stream().filter(s -> s.latest.get() < p).count())
                    .as("streams that did not hear position " + p)
                    .isZero();
            assertThat(hub.openStreams()).isEqualTo(300);
            streams.forEach(s -> s.socket.abort());
        }
    }

    @Test
    void aStreamThatFallsSilentAfterSayingItIsAliveIsDropped() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = HubServer.builder(SyncEngine.open(hubDb))
                        .host("127.0.0.1")
                        .port(0)
                        .token(Fixtures.TOKEN)
                        .streamSilence(Duration.ofSeconds(1))
                        .start()) {
            HttpClient http = HttpClient.newHttpClient();
            Stream vanished = Stream.open(http, hub);
            Stream quiet = Stream.open(http, hub);
            vanished.socket.sendText("{\"type\":\"alive\"}", true).get(5, TimeUnit.SECONDS);

            assertThat(vanished.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1001);
            Thread.sleep(1500);
            assertThat(quiet.closed).isNotDone(); // it never said it sends heartbeats: kept
            assertThat(hub.openStreams()).isEqualTo(1);
            quiet.socket.abort();
        }
    }
}
