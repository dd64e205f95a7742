package io.shuttlebridge.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.DeadLetter;
import io.shuttlebridge.bridge.RunOptions;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.server.auth.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Bridge on the hub under {@code /v1/bridge/}: each endpoint a thin layer over one
 * {@link BridgeService} method, its records written as JSON. Same authentication as the rest.
 */
public final class BridgeApi {
    public static final String PREFIX = "/v1/bridge";
    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final BridgeService bridge;
    private final BodyReader body;

    public BridgeApi(BridgeService bridge, BodyReader body) {
        this.bridge = bridge;
        this.body = body;
    }

    public void register(RoutesConfig routes) {
        routes.before(PREFIX + "/*", ctx -> {
            if (!RequestAuth.subject(ctx).hasRole(Subject.BRIDGE)) {
                throw new ShuttleException(
                        ErrorCode.FORBIDDEN, "Bridge endpoints need a token with the '" + Subject.BRIDGE + "' role");
            }
        });
        routes.post(PREFIX + "/runs", ctx -> json(ctx, bridge.runAll()));
        routes.post(PREFIX + "/entities/{entity}/runs", ctx -> {
            JsonNode b = ctx.body().isBlank() ? null : body.json(ctx);
            boolean full = b != null && b.path("full").asBoolean(false);
            json(ctx, bridge.run(entity(ctx), full ? RunOptions.full() : RunOptions.DEFAULT));
        });
        routes.get(PREFIX + "/entities/{entity}", ctx -> json(ctx, bridge.status(entity(ctx))));
        routes.get(PREFIX + "/batches", ctx -> json(ctx, bridge.batches(ctx.queryParam("entity"), limit(ctx))));
        routes.get(
                PREFIX + "/batches/{id}",
                ctx -> json(ctx, bridge.batch(id(ctx)).orElseThrow(() -> notFound("batch", ctx))));
        routes.get(
                PREFIX + "/dead-letters",
                ctx -> json(ctx, bridge.deadLetters(ctx.queryParam("entity"), status(ctx), limit(ctx))));
        routes.get(
                PREFIX + "/dead-letters/{id}",
                ctx -> json(ctx, bridge.deadLetter(id(ctx)).orElseThrow(() -> notFound("dead letter", ctx))));
        routes.post(PREFIX + "/dead-letters/retry", ctx -> json(ctx, bridge.retryDeadLetters(ids(ctx))));
        routes.post(PREFIX + "/dead-letters/discard", ctx -> json(ctx, bridge.discardDeadLetters(ids(ctx))));
        routes.get(PREFIX + "/pending", ctx -> json(ctx, bridge.pendingChildren(ctx.queryParam("entity"), limit(ctx))));
        routes.get(PREFIX + "/schedules", ctx -> json(ctx, bridge.scheduler().schedules()));
        routes.get(
                PREFIX + "/schedules/{entity}",
                ctx -> json(ctx, bridge.scheduler().status(entity(ctx))));
        routes.post(
                PREFIX + "/schedules/{entity}/trigger",
                ctx -> json(ctx, bridge.scheduler().trigger(entity(ctx))));
        routes.post(
                PREFIX + "/schedules/{entity}/reset",
                ctx -> json(ctx, bridge.scheduler().reset(entity(ctx))));
    }

    private String entity(Context ctx) {
        String name = ctx.pathParam("entity");
        if (bridge.definition().entities().stream().noneMatch(e -> e.name().equals(name))) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND,
                    "no Bridge entity \"" + name + "\" (defined: "
                            + String.join(
                                    ", ",
                                    bridge.definition().entities().stream()
                                            .map(e -> e.name())
                                            .toList()) + ")");
        }
        return name;
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "id must be a number, got '" + ctx.pathParam("id") + "'", e);
        }
    }

    private static int limit(Context ctx) {
        String v = ctx.queryParam("limit");
        try {
            int n = v == null ? 50 : Integer.parseInt(v);
            if (n < 1 || n > 1000) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "limit must be between 1 and 1000, got '" + v + "'", e);
        }
    }

    private static DeadLetter.Status status(Context ctx) {
        String v = ctx.queryParam("status");
        if (v == null) {
            return DeadLetter.Status.OPEN;
        }
        try {
            return DeadLetter.Status.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "unknown dead-letter status '" + v + "'", e);
        }
    }

    private List<Long> ids(Context ctx) {
        JsonNode b = body.json(ctx);
        JsonNode ids = b.get("ids");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, "body must be {\"ids\": [numbers]}");
        }
        List<Long> out = new ArrayList<>();
        for (JsonNode n : ids) {
            if (!n.canConvertToLong()) {
                throw new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, "ids must be numbers, got " + n);
            }
            out.add(n.longValue());
        }
        return out;
    }

    private static ShuttleException notFound(String what, Context ctx) {
        return new ShuttleException(ErrorCode.NOT_FOUND, "no " + what + " with id " + ctx.pathParam("id"));
    }

    private static void json(Context ctx, Object value) throws JsonProcessingException {
        ctx.contentType(Protocol.JSON).result(JSON.writeValueAsString(value));
    }
}
