package io.shuttlebridge.server.internal;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.shuttlebridge.core.internal.protocol.EventCodec;
import io.shuttlebridge.core.internal.protocol.StreamEvent;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices connected to {@code /v1/sync/stream}. Each is told the hub's feed position when it
 * connects and every time the feed advances; a device that hears of a position it has not pulled
 * yet pulls. Notifications carry no data, so a lost one costs only latency.
 */
public final class StreamHub {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    private final Set<WsContext> sessions = ConcurrentHashMap.newKeySet();
    private final AtomicLong position = new AtomicLong(-1);
    private final AtomicInteger open;

    public StreamHub(AtomicInteger openGauge) {
        this.open = openGauge;
    }

    public void configure(WsConfig ws) {
        ws.onConnect(ctx -> {
            ctx.enableAutomaticPings();
            sessions.add(ctx);
            open.set(sessions.size());
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

    public void closeAll() {
        for (WsContext s : sessions) {
            try {
                s.closeSession(1001, "hub shutting down");
            } catch (RuntimeException e) {
                log.debug("closing stream {} failed", s.sessionId(), e);
            }
        }
        sessions.clear();
        open.set(0);
    }

    private void remove(WsContext ctx) {
        sessions.remove(ctx);
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
