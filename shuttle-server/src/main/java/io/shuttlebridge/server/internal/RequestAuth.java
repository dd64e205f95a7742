package io.shuttlebridge.server.internal;

import io.javalin.http.Context;
import io.javalin.websocket.WsContext;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.auth.Authenticator;
import io.shuttlebridge.server.auth.Subject;
import java.util.List;

/**
 * Finds the bearer token of a request and asks the {@link Authenticator} who sent it; the subject
 * is kept on the request for the handlers. On an HTTP endpoint the token travels in the {@code
 * Authorization} header only: one in the query string (which proxies and logs keep) is refused. The
 * stream's upgrade takes the header too, or, for browsers that cannot set headers on a WebSocket,
 * the subprotocol {@code bearer.<token>} beside {@value #STREAM_PROTOCOL}.
 */
public final class RequestAuth {
    /** The subprotocol the hub answers a stream with. */
    public static final String STREAM_PROTOCOL = "shuttle.v1";

    static final String BEARER_PROTOCOL = "bearer.";
    private static final String ATTRIBUTE = "shuttle.subject";
    private static final List<String> QUERY_TOKENS = List.of("access_token", "token", "jwt");

    private final Authenticator authenticator;

    public RequestAuth(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** Authenticates an HTTP request and keeps its subject on it. */
    public void http(Context ctx) {
        for (String name : QUERY_TOKENS) {
            if (ctx.queryParam(name) != null) {
                throw new ShuttleException(
                        ErrorCode.UNAUTHORIZED,
                        "a token in the query string ('" + name + "') is refused: URLs end up in logs;"
                                + " send 'Authorization: Bearer <token>'");
            }
        }
        ctx.attribute(ATTRIBUTE, authenticator.authenticate(bearer(ctx.header("Authorization"))));
    }

    /** Authenticates a stream's upgrade request, from its header or its subprotocol, and keeps its subject on it. */
    public void upgrade(Context ctx) {
        ctx.attribute(ATTRIBUTE, streamToken(ctx.header("Authorization"), ctx.header("Sec-WebSocket-Protocol")));
    }

    /**
     * The subject of a stream once open: its upgrade request's token again (the framework keeps the
     * request's headers for the stream, not what the upgrade handler learnt; a verified token costs a
     * lookup).
     */
    public Subject stream(WsContext ctx) {
        return streamToken(ctx.header("Authorization"), ctx.header("Sec-WebSocket-Protocol"));
    }

    /**
     * The subject of a stream's upgrade request from its headers, for a server other than the hub's own
     * (a Jakarta WebSocket container): {@code Authorization}, else the {@code bearer.<token>} subprotocol.
     */
    public Subject stream(String authorization, String protocols) {
        return streamToken(authorization, protocols);
    }

    private Subject streamToken(String authorization, String protocols) {
        String token = bearer(authorization);
        if (token == null) {
            token = fromProtocols(protocols);
        }
        return authenticator.authenticate(token);
    }

    /** The subject of an authenticated request. */
    public static Subject subject(Context ctx) {
        Subject s = ctx.attribute(ATTRIBUTE);
        return s == null ? Subject.TRUSTED : s;
    }

    private static String bearer(String header) {
        if (header == null || header.isBlank() || header.strip().equalsIgnoreCase("Bearer")) {
            return null; // no token (a client may send the scheme alone when it has none)
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ShuttleException(
                    ErrorCode.UNAUTHORIZED,
                    "the Authorization header must be 'Bearer <token>' (another scheme was sent)");
        }
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }

    private static String fromProtocols(String header) {
        if (header == null) {
            return null;
        }
        for (String p : header.split(",")) {
            String t = p.trim();
            if (t.startsWith(BEARER_PROTOCOL) && t.length() > BEARER_PROTOCOL.length()) {
                return t.substring(BEARER_PROTOCOL.length());
            }
        }
        return null;
    }
}
