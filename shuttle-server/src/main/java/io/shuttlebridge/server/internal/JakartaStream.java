package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.server.auth.Subject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stream ({@code /v1/sync/stream}) on a Jakarta WebSocket container (Tomcat's, Jetty's): a hub
 * mounted in another server's servlet container serves its devices' streams through it with the same
 * {@link StreamHub} as on its own server. The upgrade's token is checked as there (header or {@code
 * bearer.} subprotocol); a refused one gets the stream closed at once with 1008 and the reason. The
 * hub pings every stream every {@link StreamHub#PING_SECONDS} s; one that answers nothing for {@link
 * StreamHub#IDLE_SECONDS} s is dropped by the container.
 */
public final class JakartaStream implements AutoCloseable {
    private static final String SUBJECT = "shuttle.subject";
    private static final String REFUSED = "shuttle.refused";

    private final StreamHub hub;
    private final RequestAuth auth;
    private final ScheduledExecutorService pings = DaemonTimer.named("shuttle-stream-ping");

    public JakartaStream(StreamHub hub, RequestAuth auth) {
        this.hub = hub;
        this.auth = auth;
    }

    /** The endpoint's configuration, to add to the container ({@code ServerContainer.addEndpoint}). */
    public ServerEndpointConfig config() {
        return ServerEndpointConfig.Builder.create(StreamEndpoint.class, Protocol.STREAM)
                .subprotocols(List.of(RequestAuth.STREAM_PROTOCOL))
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest req, HandshakeResponse res) {
                        try {
                            sec.getUserProperties()
                                    .put(
                                            SUBJECT,
                                            auth.stream(
                                                    header(req, "Authorization"),
                                                    header(req, "Sec-WebSocket-Protocol")));
                        } catch (ShuttleException e) {
                            sec.getUserProperties().put(REFUSED, e.getMessage());
                        }
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> type) {
                        return type.cast(new StreamEndpoint());
                    }
                })
                .build();
    }

    private static String header(HandshakeRequest req, String name) {
        for (Map.Entry<String, List<String>> h : req.getHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase(name)
                    && h.getValue() != null
                    && !h.getValue().isEmpty()) {
                return String.join(",", h.getValue());
            }
        }
        return null;
    }

    @Override
    public void close() {
        pings.shutdownNow();
    }

    private final class StreamEndpoint extends Endpoint {
        private ScheduledFuture<?> ping;

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            Object refused = config.getUserProperties().get(REFUSED);
            if (refused != null) {
                close(session, CloseReason.CloseCodes.VIOLATED_POLICY, refused.toString());
                return;
            }
            Subject subject = (Subject) config.getUserProperties().get(SUBJECT);
            session.setMaxIdleTimeout(TimeUnit.SECONDS.toMillis(StreamHub.IDLE_SECONDS));
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) text -> hub.heard(session));
            ping = pings.scheduleAtFixedRate(
                    () -> {
                        try {
                            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                        } catch (IOException | RuntimeException e) {
                            hub.closed(session);
                        }
                    },
                    StreamHub.PING_SECONDS,
                    StreamHub.PING_SECONDS,
                    TimeUnit.SECONDS);
            hub.opened(session, new Peer(session), subject);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            stopPinging();
            hub.closed(session);
        }

        @Override
        public void onError(Session session, Throwable error) {
            stopPinging();
            hub.closed(session);
        }

        private void stopPinging() {
            if (ping != null) {
                ping.cancel(false);
            }
        }
    }

    private static void close(Session session, CloseReason.CloseCode code, String reason) {
        try {
            // a close reason holds at most 123 bytes
            String r = reason.length() > 100 ? reason.substring(0, 100) : reason;
            session.close(new CloseReason(code, r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Peer(Session session) implements StreamHub.Peer {
        @Override
        public String id() {
            return session.getId();
        }

        @Override
        public void send(String text, Runnable written, Consumer<Throwable> failed) {
            session.getAsyncRemote().sendText(text, result -> {
                if (result.isOK()) {
                    written.run();
                } else {
                    failed.accept(result.getException());
                }
            });
        }

        @Override
        public void close(int code, String reason) {
            JakartaStream.close(session, CloseReason.CloseCodes.getCloseCode(code), reason);
        }
    }
}
