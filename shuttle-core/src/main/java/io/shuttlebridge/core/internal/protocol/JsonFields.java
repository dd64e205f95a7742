package io.shuttlebridge.core.internal.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of a body's JSON tree, failing with {@link ErrorCode#MALFORMED_PAYLOAD} and a
 * message naming the offending field.
 */
final class JsonFields {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonFields() {}

    static void checkProtocol(JsonNode o) {
        JsonNode p = o.get("protocol");
        if (p != null && p.asInt(-1) != Protocol.VERSION) {
            throw malformed("protocol: this hub speaks version " + Protocol.VERSION + ", the request says " + p);
        }
    }

    static void requireObject(JsonNode o, String what) {
        if (o == null || !o.isObject()) {
            throw malformed(what + ": a JSON object is required");
        }
    }

    static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw malformed(field + ": a non-empty string is required");
        }
        return n.textValue();
    }

    static long number(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            throw malformed(field + ": an integer of at most 64 bits is required");
        }
        return n.longValue();
    }

    static int integer(JsonNode o, String field) {
        return Math.toIntExact(number(o, field));
    }

    /** The array under {@code field}; an empty one when the field is missing or null. */
    static JsonNode array(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return NODES.arrayNode();
        }
        if (!n.isArray()) {
            throw malformed(field + ": an array is required");
        }
        return n;
    }

    /** The texts of an array's elements; none when {@code a} is not an array. */
    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static ShuttleException malformed(String message) {
        return new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, message);
    }
}
