package io.shuttlebridge.server.internal;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.shuttlebridge.core.internal.protocol.EventCodec;
import io.shuttlebridge.core.internal.protocol.StreamEvent;
import io.shuttlebridge.server.auth.Subject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices connected to {@code /v1/sync/stream}. Each is told the hub's feed position when it
 * connects and every time the feed advances; a device that hears of a position it has not pulled
 * yet pulls. Notifications carry no data, so a lost one costs only latency. A stream opened with a
 * token that expires is closed when it does (1008, policy violation): the device reconnects with a
 * fresh one.
 *
 * <p><b>Off the request path.</b> A push that advances the feed only records the new position and
 * wakes one fan-out thread; the push answers at once. The fan-out thread encodes the notification
 * once and hands it to every stream without waiting for any of them: each stream has at most one
 * notification being written and remembers at most one newer position (a stream hears the latest
 * position, not every one: the others are coalesced), so a slow or dead device never delays the
 * others and never holds more than one message.
 *
 * <p><b>Vanished devices.</b> A device's stream says it is alive every {@link #HEARTBEAT_SECONDS} s
 * ({@code {"type":"alive"}}); one that said so once and then stays silent for {@link #SILENT_SECONDS}
 * s is dropped (a device that lost its network without closing the connection: nothing would tell
 * the hub for many minutes otherwise). Streams of clients that send no heartbeat are kept until their
 * connection fails or idles past {@link #IDLE_SECONDS} s; the hub pings every stream every
 * {@link #PING_SECONDS} s.
 */
public final class StreamHub {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    /** Seconds between pings on an open stream; a peer that answers none is dropped after {@link #IDLE_SECONDS}. */
    public static final int PING_SECONDS = 15;

    public static final int IDLE_SECONDS = 45;

    /** How often a device's stream says it is alive. */
    public static final int HEARTBEAT_SECONDS = 20;

    /** How long, by default, a stream that sent heartbeats may stay silent before it is dropped. */
    public static final int SILENT_SECONDS = 50;

    /** By the server's handle of each stream: a Javalin {@link WsContext}, a Jakarta WebSocket session. */
    private final Map<Object, Listener> sessions = new ConcurrentHashMap<>();

    private final AtomicLong position = new AtomicLong(-1);
    private final AtomicInteger open;
    private final Map<Object, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = DaemonTimer.named("shuttle-stream-expiry");
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    /** Whether the feed's entries in a range of seqs may concern some device; null: every advance does. */
    private volatile Relevance relevance;
    /** The position the fan-out thread last considered (told the streams of, or found of no concern). */
    private long considered = -1;

    private final Thread fanout;
    private volatile boolean closed;

    private final RequestAuth auth;

    private final long silentNanos;

    /** @param silence how long a stream that sent heartbeats may stay silent before it is dropped */
    public StreamHub(AtomicInteger openGauge, RequestAuth auth, java.time.Duration silence) {
        this.open = openGauge;
        this.auth = auth;
        this.silentNanos = silence.toNanos();
        this.fanout = Thread.ofPlatform().daemon().name("shuttle-stream-fanout").start(this::fanOut);
        long sweep = Math.max(100, silence.toMillis() / 10);
        timer.scheduleWithFixedDelay(this::dropSilent, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /** One device's stream, whichever server carries it. */
    public interface Peer {
        String id();

        /** Writes a text message; {@code written} or {@code failed} runs once the write is done. */
        void send(String text, Runnable written, java.util.function.Consumer<Throwable> failed);

        void close(int code, String reason);
    }

    /** The streams of the hub's own (Javalin) server. */
    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings(PING_SECONDS, TimeUnit.SECONDS);
            opened(ctx, new JavalinPeer(ctx), auth.stream(ctx));
        });
        ws.onMessage(this::heard);
        ws.onClose(ctx -> remove(ctx));
        ws.onError(ctx -> remove(ctx));
    }

    /**
     * A device opened a stream with a token naming {@code subject}: it hears the feed's position now and
     * whenever it advances. {@code key} is the server's handle of the stream, for {@link #heard} and
     * {@link #closed}.
     */
    public void opened(Object key, Peer peer, Subject subject) {
        Listener l = new Listener(key, peer);
        sessions.put(key, l);
        open.set(sessions.size());
        closeWhenExpired(key, subject);
        long p = Math.max(0, position.get());
        l.offer(p, message(p));
    }

    /** The device said something on its stream (a heartbeat or not): it is there. */
    public void heard(Object key) {
        Listener l = sessions.get(key);
        if (l != null) {
            l.heardAt = System.nanoTime();
        }
    }

    /** The stream closed or failed. */
    public void closed(Object key) {
        remove(key);
    }

    private record JavalinPeer(WsContext ctx) implements Peer {
        @Override
        public String id() {
            return ctx.sessionId();
        }

        @Override
        public void send(String text, Runnable written, java.util.function.Consumer<Throwable> failed) {
            ctx.session.sendText(text, Callback.from(written, failed));
        }

        @Override
        public void close(int code, String reason) {
            ctx.closeSession(code, reason);
        }
    }

    /** Drops the streams that sent heartbeats and then fell silent. */
    private void dropSilent() {
        long now = System.nanoTime();
        for (Listener l : sessions.values()) {
            long heard = l.heardAt;
            if (heard != 0 && now - heard > silentNanos) {
                log.debug("stream {} silent too long: dropped", l.peer.id());
                dropped.incrementAndGet();
                try {
                    l.peer.close(1001, "no heartbeat for " + silentNanos / 1_000_000_000 + " s");
                } catch (RuntimeException e) {
                    log.debug("closing silent stream {} failed", l.peer.id(), e);
                }
                remove(l.key);
            }
        }
    }

    /** Whether the feed entries with seqs in ({@code after}, {@code through}] may concern some device. */
    @FunctionalInterface
    public interface Relevance {
        boolean concerns(long after, long through);
    }

    /**
     * From now on an advance whose new entries concern no device (by {@code r}) is not told to the
     * streams: their devices would pull and get nothing. The next advance that does concern them tells
     * them the position, past the skipped entries too.
     */
    public void tellOnlyWhen(Relevance r) {
        relevance = r;
    }

    /** Advances not told to the streams because their entries concerned no device ({@link #tellOnlyWhen}). */
    public long skipped() {
        return skipped.get();
    }

    /** Notes that the feed reached {@code hubSeq}; if that is news, every stream is told, soon, by the fan-out thread. */
    public void advanced(long hubSeq) {
        long before = position.getAndAccumulate(hubSeq, Math::max);
        if (hubSeq > before) {
            dirty.set(true);
            LockSupport.unpark(fanout);
        }
    }

    public int size() {
        return sessions.size();
    }

    /** The latest feed position this hub knows of (pushes, its own watcher, other hub processes' notifications). */
    public long position() {
        return position.get();
    }

    /** Notifications written to streams so far. */
    public long sent() {
        return sent.get();
    }

    /** Positions a stream did not hear because a newer one replaced them while it was still being told the previous. */
    public long coalesced() {
        return coalesced.get();
    }

    /** Streams dropped because a notification could not be written to them. */
    public long dropped() {
        return dropped.get();
    }

    private void fanOut() {
        while (!closed) {
            LockSupport.park(this);
            if (!dirty.getAndSet(false)) {
                continue;
            }
            long p = position.get();
            if (!concerns(p)) {
                skipped.incrementAndGet();
                continue;
            }
            String msg = message(p);
            for (Listener l : sessions.values()) {
                try {
                    l.offer(p, msg);
                } catch (RuntimeException e) {
                    log.debug("stream {} dropped", l.peer.id(), e);
                    dropped.incrementAndGet();
                    remove(l.key);
                }
            }
        }
    }

    /** Whether the entries since the position last considered concern some device; notes {@code p} as considered. */
    private boolean concerns(long p) {
        Relevance r = relevance;
        long after = considered;
        considered = p;
        if (r == null || after < 0) {
            return true;
        }
        try {
            return r.concerns(after, p);
        } catch (RuntimeException e) {
            log.debug("could not tell whether entries {}..{} concern any device: telling the streams", after, p, e);
            return true;
        }
    }

    private static String message(long hubSeq) {
        return EventCodec.write(new StreamEvent(hubSeq));
    }

    /** One stream: at most one notification being written, at most one newer position waiting. */
    private final class Listener {
        private final Object key;
        private final Peer peer;
        /** When the device last sent anything ({@link System#nanoTime()}); 0 until it does. */
        private volatile long heardAt;

        private long written = -1;
        private long wanted = -1;
        private String next;
        private boolean writing;

        Listener(Object key, Peer peer) {
            this.key = key;
            this.peer = peer;
        }

        synchronized void offer(long p, String msg) {
            if (p <= wanted) {
                return;
            }
            if (writing) {
                if (wanted > written) {
                    coalesced.incrementAndGet(); // the waiting position is replaced by a newer one
                }
                wanted = p;
                next = msg;
                return;
            }
            wanted = p;
            write(p, msg);
        }

        /** Called with the monitor held. */
        private void write(long p, String msg) {
            writing = true;
            peer.send(msg, () -> written(p), this::failed);
        }

        private synchronized void written(long p) {
            sent.incrementAndGet();
            written = p;
            writing = false;
            if (wanted > written) {
                write(wanted, next);
            }
        }

        private void failed(Throwable t) {
            log.debug("stream {} dropped", peer.id(), t);
            dropped.incrementAndGet();
            remove(key);
        }
    }

    private void closeWhenExpired(Object key, Subject subject) {
        if (subject.expiresAt() == null) {
            return;
        }
        long delay = Math.max(0, subject.expiresAt().toEpochMilli() - System.currentTimeMillis());
        expiries.put(key, timer.schedule(() -> expired(key), delay, TimeUnit.MILLISECONDS));
    }

    private void expired(Object key) {
        Listener l = sessions.get(key);
        if (l != null) {
            try {
                l.peer.close(1008, "token expired: reconnect with a fresh token");
            } catch (RuntimeException e) {
                log.debug("closing expired stream {} failed", l.peer.id(), e);
            }
        }
        remove(key);
    }

    public void closeAll() {
        closed = true;
        LockSupport.unpark(fanout);
        for (Listener l : sessions.values()) {
            try {
                l.peer.close(1001, "hub shutting down");
            } catch (RuntimeException e) {
                log.debug("closing stream {} failed", l.peer.id(), e);
            }
        }
        sessions.clear();
        expiries.values().forEach(f -> f.cancel(false));
        expiries.clear();
        timer.shutdownNow();
        open.set(0);
    }

    private void remove(Object key) {
        sessions.remove(key);
        ScheduledFuture<?> expiry = expiries.remove(key);
        if (expiry != null) {
            expiry.cancel(false);
        }
        open.set(sessions.size());
    }
}
