package io.shuttlebridge.server.internal;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.shuttlebridge.core.internal.protocol.EventCodec;
import io.shuttlebridge.core.internal.protocol.StreamEvent;
import io.shuttlebridge.server.auth.Subject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices connected to {@code /v1/sync/stream}. Each is told the hub's feed position when it
 * connects and every time the feed advances; a device that hears of a position it has not pulled
 * yet pulls. Notifications carry no data, so a lost one costs only latency. A stream opened with a
 * token that expires is closed when it does (1008, policy violation): the device reconnects with a
 * fresh one.
 */
public final class StreamHub {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final Set<WsContext> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong position = new AtomicLong(-1);
    private final AtomicInteger open;
    private final Map<WsContext, ScheduledFuture<?>> expiries = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = DaemonTimer.named("shuttle-stream-expiry");

    private final RequestAuth auth;

    public StreamHub(AtomicInteger openGauge, RequestAuth auth) {
        this.open = openGauge;
        this.auth = auth;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings();
            sessions.add(ctx);
            open.set(sessions.size());
            closeWhenExpired(ctx, auth.stream(ctx));
            send(ctx, Math.max(0, position.get()));
        });
        ws.onClose(ctx -> remove(ctx));
        ws.onError(ctx -> remove(ctx));
    }

    /** Tells every connected device that the feed reached {@code hubSeq}, if that is news. */
    public void advanced(long hubSeq) {
        long before = position.getAndAccumulate(hubSeq, Math::max);
        if (hubSeq > before) {
            sessions.forEach(s -> send(s, hubSeq));
        }
    }

    public int size() {
        return sessions.size();
    }

    private void closeWhenExpired(WsContext ctx, Subject subject) {
        if (subject.expiresAt() == null) {
            return;
        }
        long delay = Math.max(0, subject.expiresAt().toEpochMilli() - System.currentTimeMillis());
        expiries.put(ctx, timer.schedule(() -> expired(ctx), delay, TimeUnit.MILLISECONDS));
    }

    private void expired(WsContext ctx) {
        try {
            ctx.closeSession(1008, "token expired: reconnect with a fresh token");
        } catch (RuntimeException e) {
            log.debug("closing expired stream {} failed", ctx.sessionId(), e);
        }
        remove(ctx);
    }

    public void closeAll() {
        for (WsContext s : sessions) {
            try {
                s.closeSession(1001, "hub shutting down");
            } catch (RuntimeException e) {
                log.debug("closing stream {} failed", s.sessionId(), e);
            }
        }
        sessions.clear();
        expiries.values().forEach(f -> f.cancel(false));
        expiries.clear();
        timer.shutdownNow();
        open.set(0);
    }

    private void remove(WsContext ctx) {
        sessions.remove(ctx);
        ScheduledFuture<?> expiry = expiries.remove(ctx);
        if (expiry != null) {
            expiry.cancel(false);
        }
        open.set(sessions.size());
    }

    private void send(WsContext ctx, long hubSeq) {
        try {
            ctx.send(EventCodec.write(new StreamEvent(hubSeq)));
        } catch (RuntimeException e) {
            log.debug("stream {} dropped", ctx.sessionId(), e);
            remove(ctx);
        }
    }
}
