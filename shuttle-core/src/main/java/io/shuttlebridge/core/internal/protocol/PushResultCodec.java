package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;
import static io.shuttlebridge.core.internal.protocol.JsonFields.array;
import static io.shuttlebridge.core.internal.protocol.JsonFields.integer;
import static io.shuttlebridge.core.internal.protocol.JsonFields.number;
import static io.shuttlebridge.core.internal.protocol.JsonFields.requireObject;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PushResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The response to a push: counts, conflicts, the stamps the hub did not take (with index, code and
 * message for the changes it refused to store: rejected writes, DESIGN §6), its feed position, and
 * (only when there are some) the changes it re-stamped to its own clock.
 */
public final class PushResultCodec {
    private PushResultCodec() {}

    public static String write(PushResult r) {
        ObjectNode o = NODES.objectNode();
        o.put("applied", r.applied());
        o.put("duplicates", r.duplicates());
        o.put("superseded", r.superseded());
        o.put("pending", r.pending());
        ArrayNode conflicts = o.putArray("conflicts");
        r.conflicts().forEach(c -> conflicts.add(ConflictCodec.write(c)));
        o.put("hubSeq", r.hubSeq());
        ArrayNode rejected = o.putArray("rejected");
        Set<Stamp> refused = new HashSet<>();
        for (PushResult.Refusal x : r.refused()) {
            refused.add(x.stamp());
            rejected.addObject()
                    .put("index", x.index())
                    .put("code", x.code().name())
                    .put("message", x.message())
                    .put("hlc", Hlc.encode(x.stamp().hlc()))
                    .put("origin", x.stamp().origin())
                    .set("row", x.hubRow() == null ? NODES.nullNode() : ChangeCodec.change(x.hubRow()));
        }
        r.rejected().stream()
                .filter(s -> !refused.contains(s))
                .forEach(s ->
                        rejected.addObject().put("hlc", Hlc.encode(s.hlc())).put("origin", s.origin()));
        if (!r.restamped().isEmpty()) {
            ArrayNode restamped = o.putArray("restamped");
            r.restamped()
                    .forEach(x -> restamped
                            .addObject()
                            .put("index", x.index())
                            .put("hlc", Hlc.encode(x.stamp().hlc()))
                            .put("origin", x.stamp().origin())
                            .put("newHlc", Hlc.encode(x.newHlc()))
                            .put("aheadMs", x.aheadMillis()));
        }
        return ChangeCodec.toJson(o);
    }

    public static PushResult read(JsonNode o) {
        requireObject(o, "push result");
        List<ConflictRecord> conflicts = new ArrayList<>();
        for (JsonNode c : array(o, "conflicts")) {
            conflicts.add(ConflictCodec.read(c));
        }
        List<Stamp> rejected = new ArrayList<>();
        List<PushResult.Refusal> refused = new ArrayList<>();
        for (JsonNode s : array(o, "rejected")) {
            Stamp stamp = new Stamp(Hlc.decode(text(s, "hlc")), text(s, "origin"));
            rejected.add(stamp);
            if (s.has("code")) {
                JsonNode row = s.path("row");
                refused.add(new PushResult.Refusal(
                        integer(s, "index"),
                        stamp,
                        errorCode(text(s, "code")),
                        s.path("message").asText(""),
                        row.isObject() ? ChangeCodec.change(row, "rejected row") : null));
            }
        }
        List<PushResult.Restamped> restamped = new ArrayList<>();
        for (JsonNode x : array(o, "restamped")) {
            restamped.add(new PushResult.Restamped(
                    integer(x, "index"),
                    new Stamp(Hlc.decode(text(x, "hlc")), text(x, "origin")),
                    Hlc.decode(text(x, "newHlc")),
                    number(x, "aheadMs")));
        }
        return new PushResult(
                integer(o, "applied"),
                integer(o, "duplicates"),
                integer(o, "superseded"),
                integer(o, "pending"),
                conflicts,
                number(o, "hubSeq"),
                rejected,
                restamped,
                refused);
    }

    /** A refusal's code; one from a newer hub that this device does not know reads as FORBIDDEN. */
    private static ErrorCode errorCode(String name) {
        try {
            return ErrorCode.valueOf(name);
        } catch (IllegalArgumentException e) {
            return ErrorCode.FORBIDDEN;
        }
    }
}
