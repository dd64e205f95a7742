package io.shuttlebridge.bridge.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

/**
 * JSON for stored payloads. Objects keep names; exact decimals stay exact; dates and times are
 * tagged ({@code {"$date": "2024-05-01"}}, {@code $datetime}, {@code $instant}) so they read back typed.
 */
public final class RowCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
    /** Reads decimals exactly, scale included ({@code 1.50} stays {@code 1.50}). */
    public static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .setNodeFactory(NODES);

    private RowCodec() {}

    public static String encode(List<String> names, Object[] values) {
        if (values == null) {
            return null;
        }
        ObjectNode node = NODES.objectNode();
        for (int i = 0; i < values.length; i++) {
            node.set(names.get(i), value(values[i]));
        }
        return node.toString();
    }

    public static String encodeArray(Object[] values) {
        String simple = simpleArray(values);
        if (simple != null) {
            return simple;
        }
        ArrayNode node = NODES.arrayNode();
        for (Object v : values) {
            node.add(value(v));
        }
        return node.toString();
    }

    /** The same text as the general path for arrays of longs and plain printable ASCII strings (most keys); else null. */
    private static String simpleArray(Object[] values) {
        StringBuilder out = new StringBuilder(values.length * 12).append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            switch (values[i]) {
                case Long l -> out.append(l.longValue());
                case Integer n -> out.append(n.intValue());
                case String s -> {
                    for (int k = 0; k < s.length(); k++) {
                        char ch = s.charAt(k);
                        if (ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\') {
                            return null;
                        }
                    }
                    out.append('"').append(s).append('"');
                }
                case null, default -> {
                    return null;
                }
            }
        }
        return out.append(']').toString();
    }

    public static Object[] decode(List<String> names, String json) {
        JsonNode node = read(json);
        Object[] out = new Object[names.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scalar(node.get(names.get(i)));
        }
        return out;
    }

    public static Object[] decodeArray(String json) {
        JsonNode node = read(json);
        Object[] out = new Object[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = scalar(node.get(i));
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "stored payload is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode value(Object v) {
        return switch (v) {
            case null -> NODES.nullNode();
            case String s -> NODES.textNode(s);
            case Long l -> NODES.numberNode(l);
            case Integer i -> NODES.numberNode(i.longValue());
            case Short s -> NODES.numberNode(s.longValue());
            case BigDecimal d -> NODES.numberNode(d);
            case BigInteger b -> NODES.numberNode(new BigDecimal(b));
            case Double d -> NODES.numberNode(new BigDecimal(Double.toString(d)));
            case Float f -> NODES.numberNode(new BigDecimal(Float.toString(f)));
            case Boolean b -> NODES.booleanNode(b);
            case LocalDate d -> NODES.objectNode().put("$date", d.toString());
            case LocalDateTime t -> NODES.objectNode().put("$datetime", t.toString());
            case Instant i -> NODES.objectNode().put("$instant", i.toString());
            case Timestamp t ->
                NODES.objectNode().put("$datetime", t.toLocalDateTime().toString());
            case Date d -> NODES.objectNode().put("$date", d.toLocalDate().toString());
            case byte[] b -> NODES.textNode(HexFormat.of().formatHex(b));
            default -> NODES.textNode(v.toString());
        };
    }

    private static Object scalar(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isObject()) {
            if (n.has("$date")) {
                return LocalDate.parse(n.get("$date").asText());
            }
            if (n.has("$datetime")) {
                return LocalDateTime.parse(n.get("$datetime").asText());
            }
            if (n.has("$instant")) {
                return Instant.parse(n.get("$instant").asText());
            }
            return n.toString();
        }
        if (n.isIntegralNumber() && n.canConvertToLong()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }
}
