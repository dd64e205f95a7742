package io.shuttlebridge.bench.load;

import io.shuttlebridge.core.internal.protocol.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams as devices open them ({@code LiveSync}): {@link WebSocket}s of {@code java.net.http}, all
 * on one shared {@link HttpClient}, the bearer token on the upgrade request, a heartbeat every
 * {@link StreamFleet#HEARTBEAT}.
 */
final class JdkStreamClient implements StreamClient {
    /** WebSocket upgrades in flight at once while opening. */
    private static final int OPENING = 200;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(30))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final List<WebSocket> sockets = new ArrayList<>();
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "load-stream-heartbeats");
        t.setDaemon(true);
        return t;
    });
    private StreamFleet fleet;

    @Override
    public String description() {
        return "java.net.http WebSocket, one shared HttpClient (as devices' LiveSync)";
    }

    @Override
    public int open(URI hub, String token, StreamFleet fleet) throws InterruptedException {
        this.fleet = fleet;
        URI uri = URI.create(hub.toString().replaceFirst("^http", "ws").replaceAll("/$", "") + Protocol.STREAM);
        Semaphore inFlight = new Semaphore(OPENING);
        List<CompletableFuture<WebSocket>> opening = new ArrayList<>(fleet.size());
        for (int i = 0; i < fleet.size(); i++) {
            inFlight.acquire();
            WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30));
            if (token != null) {
                b.header("Authorization", "Bearer " + token);
            }
            opening.add(b.buildAsync(uri, new Listener(i)).whenComplete((ws, err) -> {
                inFlight.release();
                if (err != null) {
                    Throwable cause = err.getCause() != null ? err.getCause() : err;
                    fleet.errors()
                            .add("stream open " + cause.getClass().getSimpleName(), String.valueOf(cause.getMessage()));
                }
            }));
        }
        for (CompletableFuture<WebSocket> f : opening) {
            try {
                sockets.add(f.get(60, TimeUnit.SECONDS));
            } catch (Exception e) {
                if (!f.isDone()) {
                    fleet.errors().add("stream open timeout", "no answer to the upgrade within 60 s");
                }
            }
        }
        // every second, the twentieth of the streams whose turn it is says it is alive
        long ticks = StreamFleet.HEARTBEAT.toSeconds();
        AtomicLong tick = new AtomicLong();
        beats.scheduleAtFixedRate(
                () -> {
                    long t = tick.getAndIncrement() % ticks;
                    for (int i = (int) t; i < sockets.size(); i += (int) ticks) {
                        try {
                            sockets.get(i).sendText(StreamFleet.ALIVE, true);
                        } catch (RuntimeException e) {
                            // a stream that closed: its listener has counted it
                        }
                    }
                },
                1,
                1,
                TimeUnit.SECONDS);
        return fleet.openCount();
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.closing();
        }
        beats.shutdownNow();
        for (WebSocket ws : sockets) {
            ws.abort();
        }
        http.shutdownNow();
    }

    /** One stream's listener; the client calls it for one message at a time. */
    private final class Listener implements WebSocket.Listener {
        private final int index;
        private StringBuilder partial;

        Listener(int index) {
            this.index = index;
        }

        @Override
        public void onOpen(WebSocket ws) {
            fleet.opened(index);
            ws.request(Long.MAX_VALUE);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            long now = System.nanoTime();
            if (!last) {
                (partial == null ? partial = new StringBuilder() : partial).append(data);
                return null;
            }
            CharSequence message = data;
            if (partial != null && !partial.isEmpty()) {
                message = partial.append(data).toString();
                partial.setLength(0);
            }
            long seq = JsonScan.digits(message);
            if (seq < 0) {
                fleet.errors().add("stream message without position", message.toString());
            } else {
                fleet.told(index, seq, now);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            fleet.errors().add("stream binary message", data.remaining() + " bytes");
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            fleet.closed(index, "stream closed by the hub " + statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            fleet.closed(
                    index, "stream failed " + error.getClass().getSimpleName(), String.valueOf(error.getMessage()));
        }
    }
}
