package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;
import static io.shuttlebridge.core.internal.protocol.JsonFields.number;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.core.internal.change.ChangeCodec;

/** A message of the stream ({@code GET /v1/sync/stream}): the hub feed's new position. */
public final class EventCodec {
    private EventCodec() {}

    public static String write(StreamEvent e) {
        return ChangeCodec.toJson(NODES.objectNode().put("hubSeq", e.hubSeq()));
    }

    public static StreamEvent read(JsonNode o) {
        return new StreamEvent(number(o, "hubSeq"));
    }
}
