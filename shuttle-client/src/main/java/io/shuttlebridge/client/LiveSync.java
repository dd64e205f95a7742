package io.shuttlebridge.client;

import io.shuttlebridge.client.internal.ClockWatch;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.protocol.EventCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a device in step with its hub: follows the hub's stream, notices local commits, and runs
 * {@code pullThenPush} shortly after either (bursts within the debounce window make one sync).
 * When the stream drops (the hub restarted) it reconnects with backoff and syncs once back.
 * A sync also runs now and then without any signal, so nothing waits on a lost notification.
 */
public final class LiveSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveSync.class);

    private final SyncEngine engine;
    private final HttpTransport hub;
    private final String hubNode;
    private final Settings settings;
    private final Listener listener;
    private final ScheduledExecutorService worker;
    private final AtomicLong syncs = new AtomicLong();
    private final ClockWatch clock;
    private final Backoff reconnect = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Integer.MAX_VALUE);
    private ScheduledFuture<?> scheduled;
    private volatile WebSocket socket;
    private volatile boolean connected;
    private volatile boolean closed;
    private int reconnects;

    /** Timings of the loop. */
    public record Settings(Duration debounce, Duration localPoll, Duration fallback) {
        public static final Settings DEFAULT =
                new Settings(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));
    }

    /** Hears what each sync did. */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void synced(SyncReport report) {}

        default void failed(RuntimeException e) {}
    }

    private LiveSync(SyncEngine engine, HttpTransport hub, String hubNode, Settings settings, Listener listener) {
        this.engine = engine;
        this.hub = hub;
        this.hubNode = hubNode;
        this.settings = settings;
        this.listener = listener;
        this.clock = new ClockWatch(engine.database(), hub);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "shuttle-live-sync");
            t.setDaemon(true);
            return t;
        });
    }

    public static LiveSync start(
            SyncEngine engine, HttpTransport hub, String hubNode, Settings settings, Listener listener) {
        LiveSync live = new LiveSync(
                Objects.requireNonNull(engine),
                Objects.requireNonNull(hub),
                Objects.requireNonNull(hubNode),
                settings,
                listener);
        live.worker.execute(live::connect);
        live.worker.scheduleWithFixedDelay(
                live::checkLocal,
                settings.localPoll().toMillis(),
                settings.localPoll().toMillis(),
                TimeUnit.MILLISECONDS);
        live.worker.scheduleWithFixedDelay(
                live::requestSync, 0, settings.fallback().toMillis(), TimeUnit.MILLISECONDS);
        return live;
    }

    /** Syncs completed so far. */
    public long syncs() {
        return syncs.get();
    }

    /** Whether the stream is open right now. */
    public boolean connected() {
        return connected;
    }

    /** Asks for a sync after the debounce window; calls within the window share it. */
    public void requestSync() {
        if (closed) {
            return;
        }
        submit(() -> {
            if (scheduled == null || scheduled.isDone()) {
                scheduled = worker.schedule(this::syncNow, settings.debounce().toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    private void syncNow() {
        if (closed) {
            return;
        }
        try {
            runSync();
        } catch (RuntimeException e) {
            log.debug("sync with {} failed", hub.hub(), e);
            listener.failed(e);
        }
    }

    private SyncReport runSync() {
        SyncReport r = engine.pullThenPush(hub);
        clock.check(); // warns when this device's clock is off the hub's by more than its bound
        NodeLeases.renewIfDue(engine.database(), hub);
        syncs.incrementAndGet();
        listener.synced(r);
        return r;
    }

    /**
     * Syncs now on this loop's thread (after the sync running, if one is) and returns what it did; the
     * listener hears of it as of any other. Throws what the sync threw, or {@link IllegalStateException}
     * once closed.
     */
    public SyncReport sync() {
        java.util.concurrent.Future<SyncReport> done;
        try {
            if (closed) {
                throw new RejectedExecutionException();
            }
            done = worker.submit(() -> {
                try {
                    return runSync();
                } catch (RuntimeException e) {
                    listener.failed(e);
                    throw e;
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("live sync with " + hub.hub() + " is closed", e);
        }
        try {
            return done.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("sync with " + hub.hub() + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sync with " + hub.hub(), e);
        }
    }

    private void checkLocal() {
        try {
            if (engine.pendingChanges(hubNode) > 0 && (scheduled == null || scheduled.isDone())) {
                requestSync();
            }
        } catch (RuntimeException e) {
            log.debug("checking local changes failed", e);
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        var builder = hub.caller().http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (hub.caller().token() != null) {
            builder.header("Authorization", "Bearer " + hub.caller().token());
        }
        builder.buildAsync(hub.streamUri(), new StreamListener()).whenComplete((ws, err) -> {
            if (err != null) {
                log.debug("stream {} not open: {}", hub.streamUri(), err.toString());
                reconnectLater();
            } else {
                socket = ws;
                connected = true;
                submit(this::heartbeat);
                submit(() -> reconnects = 0);
                requestSync(); // whatever happened while the stream was down
            }
        });
    }

    /**
     * Says "alive" on the stream every {@code HEARTBEAT} so that the hub can tell a device that vanished
     * without closing its connection (one schedule for the life of this object, whatever the connection).
     */
    private void heartbeat() {
        if (heartbeat != null) {
            return;
        }
        heartbeat = worker.scheduleAtFixedRate(
                () -> {
                    WebSocket ws = socket;
                    if (ws != null && connected && !ws.isOutputClosed()) {
                        ws.sendText(ALIVE, true).exceptionally(e -> {
                            log.debug("stream heartbeat failed: {}", e.toString());
                            return null;
                        });
                    }
                },
                HEARTBEAT.toMillis(),
                HEARTBEAT.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** What a device's stream says every {@link #HEARTBEAT}: the hub drops a stream that said it once and then fell silent. */
    static final String ALIVE = "{\"type\":\"alive\"}";

    static final Duration HEARTBEAT = Duration.ofSeconds(20);

    private volatile java.util.concurrent.ScheduledFuture<?> heartbeat;

    private void reconnectLater() {
        connected = false;
        if (closed) {
            return;
        }
        submit(() -> {
            Duration wait = reconnect.delay(reconnects++);
            worker.schedule(this::connect, Math.max(50, wait.toMillis()), TimeUnit.MILLISECONDS);
        });
    }

    private void submit(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            if (!closed) {
                throw e;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        worker.shutdown();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private final class StreamListener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                try {
                    long hubSeq = EventCodec.read(ChangeCodec.parse(message, "stream event"))
                            .hubSeq();
                    if (hubSeq > engine.cursor(hubNode).lastPulled()) {
                        requestSync();
                    }
                } catch (RuntimeException e) {
                    log.debug("ignoring stream message {}", message, e);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            log.debug("stream closed by the hub ({} {}); reconnecting", statusCode, reason);
            reconnectLater();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log.debug("stream failed: {}; reconnecting", error.toString());
            reconnectLater();
        }
    }
}
