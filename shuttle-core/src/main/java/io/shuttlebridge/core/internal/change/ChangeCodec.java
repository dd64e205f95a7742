package io.shuttlebridge.core.internal.change;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of changes and values (wire protocol version 1). Values keep their exact kind:
 * integers as JSON integers (64-bit), reals as JSON numbers with a fraction or exponent, text as
 * strings, NULL as null, and kinds JSON lacks as tagged objects: {@code {"$b": base64}} for
 * bytes, {@code {"$d": "12.50"}} for exact decimals, {@code {"$f": "Infinity"}} for non-finite reals.
 */
public final class ChangeCodec {
    public static final int VERSION = 1;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /**
     * Buffers of parsers and generators come from one pool shared by all threads: a hub answers each request
     * on a virtual thread of its own, where Jackson's default pool (one per thread) would allocate them anew
     * for every body read or written.
     */
    public static final RecyclerPool<BufferRecycler> BUFFERS = JsonRecyclerPools.sharedConcurrentDequePool();

    private static final ObjectMapper JSON =
            new ObjectMapper(JsonFactory.builder().recyclerPool(BUFFERS).build());

    private ChangeCodec() {}

    public static JsonNode value(Object v) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return F.numberNode(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return Double.isFinite(d) ? F.numberNode(d) : F.objectNode().put("$f", Double.toString(d));
        }
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof byte[] b) {
            return F.objectNode().put("$b", Base64.getEncoder().encodeToString(b));
        }
        if (v instanceof BigDecimal d) {
            return F.objectNode().put("$d", d.toPlainString());
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        return F.textNode(v.toString());
    }

    public static Object value(JsonNode n, String where) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                throw malformed(where + ": integer " + n + " does not fit in 64 bits");
            }
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isObject() && n.size() == 1) {
            try {
                if (n.has("$b")) {
                    return Base64.getDecoder().decode(n.get("$b").asText());
                }
                if (n.has("$d")) {
                    return decimal(n.get("$d").asText());
                }
                if (n.has("$f")) {
                    return Double.parseDouble(n.get("$f").asText());
                }
            } catch (IllegalArgumentException e) {
                throw malformed(where + ": " + e.getMessage());
            }
        }
        throw malformed(where + ": unsupported value " + n);
    }

    /** The most digits a decimal may have either side of its point: 1e999999999 is 11 bytes in JSON, a GB as text. */
    public static final int MAX_DECIMAL_DIGITS = 1000;

    /**
     * A {@code $d} value: an exact decimal of at most {@link #MAX_DECIMAL_DIGITS} digits either side of
     * its point.
     *
     * @throws IllegalArgumentException ({@link NumberFormatException}) when it is not a decimal or a larger one
     */
    public static BigDecimal decimal(String text) {
        if (text.length() > 2 * MAX_DECIMAL_DIGITS + 20) {
            throw new NumberFormatException("a decimal of " + text.length() + " characters");
        }
        BigDecimal d = new BigDecimal(text);
        if (d.precision() > MAX_DECIMAL_DIGITS
                || d.scale() > MAX_DECIMAL_DIGITS
                || (long) d.precision() - d.scale() > MAX_DECIMAL_DIGITS) {
            throw new NumberFormatException("a decimal of more than " + MAX_DECIMAL_DIGITS
                    + " digits either side of its point (precision " + d.precision() + ", scale " + d.scale() + ")");
        }
        return d;
    }

    public static ObjectNode change(Change c) {
        ObjectNode o = F.objectNode();
        o.put("table", c.table());
        ArrayNode key = o.putArray("key");
        c.key().forEach(k -> key.add(value(k)));
        o.put("op", c.op().name());
        if (c.op() == Op.UPSERT) {
            ObjectNode values = o.putObject("values");
            c.values().forEach((k, v) -> values.set(k, value(v)));
        }
        o.put("hlc", Hlc.encode(c.hlc()));
        o.put("origin", c.origin());
        o.put("version", c.version());
        o.put("base", c.base());
        if (!c.columnStamps().isEmpty()) {
            ObjectNode cols = o.putObject("columns");
            c.columnStamps()
                    .forEach((k, s) ->
                            cols.putObject(k).put("hlc", Hlc.encode(s.hlc())).put("origin", s.origin()));
        }
        return o;
    }

    /** Writes the change as {@link #change(Change)} builds it, field for field, without building a tree first. */
    public static void write(JsonGenerator g, Change c) throws IOException {
        g.writeStartObject();
        g.writeStringField("table", c.table());
        g.writeArrayFieldStart("key");
        for (Object k : c.key()) {
            write(g, k);
        }
        g.writeEndArray();
        g.writeStringField("op", c.op().name());
        if (c.op() == Op.UPSERT) {
            g.writeObjectFieldStart("values");
            for (Map.Entry<String, Object> e : c.values().entrySet()) {
                g.writeFieldName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        }
        g.writeStringField("hlc", Hlc.encode(c.hlc()));
        g.writeStringField("origin", c.origin());
        g.writeNumberField("version", c.version());
        g.writeNumberField("base", c.base());
        if (!c.columnStamps().isEmpty()) {
            g.writeObjectFieldStart("columns");
            for (Map.Entry<String, Stamp> e : c.columnStamps().entrySet()) {
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("hlc", Hlc.encode(e.getValue().hlc()));
                g.writeStringField("origin", e.getValue().origin());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** Writes a value as {@link #value(Object)} represents it. */
    public static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumber(d);
            } else {
                g.writeStartObject();
                g.writeStringField("$f", Double.toString(d));
                g.writeEndObject();
            }
        } else if (v instanceof byte[] b) {
            g.writeStartObject();
            g.writeStringField("$b", Base64.getEncoder().encodeToString(b));
            g.writeEndObject();
        } else if (v instanceof BigDecimal d) {
            g.writeStartObject();
            g.writeStringField("$d", d.toPlainString());
            g.writeEndObject();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(v.toString());
        }
    }

    /** The factory behind this codec's mapper, for streaming readers and writers. */
    public static JsonFactory factory() {
        return JSON.getFactory();
    }

    public static Change change(JsonNode o, String where) {
        if (o == null || !o.isObject()) {
            throw malformed(where + ": a change must be a JSON object");
        }
        String table = text(o, "table", where);
        JsonNode keyNode = o.get("key");
        if (keyNode == null || !keyNode.isArray() || keyNode.isEmpty()) {
            throw malformed(where + ".key: a non-empty array of key values is required");
        }
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < keyNode.size(); i++) {
            key.add(value(keyNode.get(i), where + ".key[" + i + "]"));
        }
        Op op;
        try {
            op = Op.valueOf(text(o, "op", where));
        } catch (IllegalArgumentException e) {
            throw malformed(where + ".op: expected UPSERT or DELETE, found " + o.get("op"), e);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (op == Op.UPSERT) {
            JsonNode v = o.get("values");
            if (v == null || !v.isObject()) {
                throw malformed(where + ".values: an object of column values is required for an UPSERT");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                var e = it.next();
                values.put(e.getKey(), value(e.getValue(), where + ".values." + e.getKey()));
            }
        }
        long hlc = hlc(text(o, "hlc", where), where + ".hlc");
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        JsonNode cols = o.get("columns");
        if (cols != null && cols.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
                var e = it.next();
                String w = where + ".columns." + e.getKey();
                stamps.put(
                        e.getKey(),
                        new Stamp(hlc(text(e.getValue(), "hlc", w), w + ".hlc"), text(e.getValue(), "origin", w)));
            }
        }
        return new Change(
                table,
                key,
                op,
                values,
                hlc,
                text(o, "origin", where),
                number(o, "version", where),
                number(o, "base", where),
                stamps);
    }

    public static String toJson(Object node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot write JSON", e);
        }
    }

    public static JsonNode parse(String json, String what) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(what + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    public static String valuesJson(Map<String, Object> values) {
        if (values == null) {
            return null;
        }
        ObjectNode o = F.objectNode();
        values.forEach((k, v) -> o.set(k, value(v)));
        return toJson(o);
    }

    public static Map<String, Object> valuesFromJson(String json) {
        if (json == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode o = parse(json, "stored values");
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            var e = it.next();
            out.put(e.getKey(), value(e.getValue(), e.getKey()));
        }
        return out;
    }

    public static String keyJson(List<Object> key) {
        ArrayNode a = F.arrayNode();
        key.forEach(k -> a.add(value(k)));
        return toJson(a);
    }

    public static List<Object> keyFromJson(String json) {
        JsonNode a = parse(json, "stored key");
        List<Object> key = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            key.add(value(a.get(i), "key[" + i + "]"));
        }
        return key;
    }

    private static long hlc(String text, String where) {
        try {
            return Hlc.decode(text);
        } catch (ShuttleException e) {
            throw malformed(where + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw malformed(where + "." + field + ": a non-empty string is required");
        }
        return n.textValue();
    }

    private static long number(JsonNode o, String field, String where) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.longValue() < 0) {
            throw malformed(where + "." + field + ": a non-negative integer of at most 64 bits is required");
        }
        return n.longValue();
    }

    private static ShuttleException malformed(String message) {
        return new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, message);
    }

    private static ShuttleException malformed(String message, Exception cause) {
        return new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, message, cause);
    }
}
