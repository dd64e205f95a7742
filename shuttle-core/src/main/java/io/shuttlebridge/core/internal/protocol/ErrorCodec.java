package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.NODES;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.internal.change.ChangeCodec;

/** An error response: {@code {"error": {"code": "...", "message": "..."}}}. */
public final class ErrorCodec {
    private ErrorCodec() {}

    /** The error of a code, its message the code's name when there is none. */
    public static String write(ErrorCode code, String message) {
        return write(code.name(), message == null ? code.name() : message);
    }

    public static String write(String code, String message) {
        ObjectNode o = NODES.objectNode();
        o.putObject("error").put("code", code).put("message", message);
        return ChangeCodec.toJson(o);
    }
}
