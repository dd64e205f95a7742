package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;
import static io.shuttlebridge.core.internal.protocol.JsonFields.array;
import static io.shuttlebridge.core.internal.protocol.JsonFields.number;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.ConflictRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A conflict record in JSON, as a push result lists it: both sides with their values and stamps. */
final class ConflictCodec {
    private ConflictCodec() {}

    static ObjectNode write(ConflictRecord c) {
        ObjectNode o = NODES.objectNode();
        o.put("id", c.id());
        o.put("table", c.table());
        c.key().forEach(k -> o.withArray("key").add(ChangeCodec.value(k)));
        o.put("policy", c.policy().name());
        o.set("local", values(c.localValues()));
        o.put("localHlc", Hlc.encode(c.localHlc()));
        o.put("localOrigin", c.localOrigin());
        o.put("localVersion", c.localVersion());
        o.set("remote", values(c.remoteValues()));
        o.put("remoteHlc", Hlc.encode(c.remoteHlc()));
        o.put("remoteOrigin", c.remoteOrigin());
        o.put("remoteVersion", c.remoteVersion());
        o.put("remoteBase", c.remoteBase());
        o.put("detectedAt", c.detectedAt());
        o.put("status", c.status());
        o.put("resolution", c.resolution());
        return o;
    }

    static ConflictRecord read(JsonNode o) {
        List<Object> key = new ArrayList<>();
        for (JsonNode k : array(o, "key")) {
            key.add(ChangeCodec.value(k, "conflict.key"));
        }
        return new ConflictRecord(
                number(o, "id"),
                text(o, "table"),
                key,
                ConflictPolicy.parse(text(o, "policy")),
                values(o.get("local")),
                Hlc.decode(text(o, "localHlc")),
                o.path("localOrigin").asText(null),
                o.path("localVersion").asLong(),
                values(o.get("remote")),
                Hlc.decode(text(o, "remoteHlc")),
                o.path("remoteOrigin").asText(null),
                o.path("remoteVersion").asLong(),
                o.path("remoteBase").asLong(),
                o.path("detectedAt").asText(null),
                o.path("status").asText(null),
                o.path("resolution").asText(null));
    }

    private static JsonNode values(Map<String, Object> values) {
        if (values == null) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        values.forEach((k, v) -> o.set(k, ChangeCodec.value(v)));
        return o;
    }

    private static Map<String, Object> values(JsonNode o) {
        return o == null || o.isNull() ? null : ChangeCodec.valuesFromJson(ChangeCodec.toJson(o));
    }
}
