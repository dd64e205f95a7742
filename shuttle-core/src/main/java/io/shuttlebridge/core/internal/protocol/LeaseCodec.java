package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;
import static io.shuttlebridge.core.internal.protocol.JsonFields.integer;
import static io.shuttlebridge.core.internal.protocol.JsonFields.malformed;
import static io.shuttlebridge.core.internal.protocol.JsonFields.requireObject;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.protocol.Lease;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The lease request of a device ({@code POST /v1/nodes/lease}) and the lease the hub answers with. */
public final class LeaseCodec {
    private LeaseCodec() {}

    public static String request(String deviceKey, String nodeUuid) {
        return ChangeCodec.toJson(NODES.objectNode().put("deviceKey", deviceKey).put("nodeUuid", nodeUuid));
    }

    public static String write(Lease l) {
        return ChangeCodec.toJson(NODES.objectNode()
                .put("shortId", l.shortId())
                .put("leaseExpiresAt", l.leaseExpiresAt().toString()));
    }

    public static Lease read(JsonNode o) {
        requireObject(o, "lease");
        try {
            return new Lease(integer(o, "shortId"), Instant.parse(text(o, "leaseExpiresAt")));
        } catch (DateTimeParseException e) {
            throw malformed("leaseExpiresAt: " + e.getMessage());
        }
    }
}
