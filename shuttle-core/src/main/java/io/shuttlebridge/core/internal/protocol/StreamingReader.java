package io.shuttlebridge.core.internal.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.change.HandedOverValues;
import io.shuttlebridge.core.sync.PullResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads push bodies and pull pages token by token, straight into changes, without a tree. It
 * takes only bodies in the form {@link WireCodec} writes; anything else (a missing field, a value
 * of an unexpected kind, invalid JSON) makes it give up, and the caller reads the body with the
 * tree readers of {@link WireCodec} and {@link ChangeCodec}, which accept or refuse it with their
 * exact messages. So both give the same changes for every body the fast path accepts.
 */
final class StreamingReader {
    /** The body is not in the form this reader takes; read it with the tree reader instead. */
    static final class Unexpected extends Exception {
        Unexpected() {
            super(null, null, false, false);
        }
    }

    private static final Unexpected UNEXPECTED = new Unexpected();

    private StreamingReader() {}

    static WireCodec.PushRequest push(byte[] body, int maxBatch) throws Unexpected {
        try (JsonParser p = ChangeCodec.factory().createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String node = null;
            List<Change> changes = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "protocol" -> {
                        if (t != JsonToken.VALUE_NUMBER_INT
                                || p.getNumberType() != JsonParser.NumberType.INT
                                || p.getIntValue() != Protocol.VERSION) {
                            throw UNEXPECTED;
                        }
                    }
                    case "nodeUuid" -> node = text(p, t);
                    case "changes" -> changes = changes(p, t, maxBatch);
                    default -> p.skipChildren();
                }
            }
            if (node == null || changes == null || p.nextToken() != null) {
                throw UNEXPECTED; // a field missing, or more after the object
            }
            return new WireCodec.PushRequest(node, changes);
        } catch (IOException | RuntimeException e) {
            throw UNEXPECTED;
        }
    }

    static WireCodec.Page page(byte[] body) throws Unexpected {
        try (JsonParser p = ChangeCodec.factory().createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            List<Change> changes = List.of();
            Long next = null;
            boolean more = false;
            boolean resync = false;
            long hubSeq = -1;
            List<String> reconcile = List.of();
            List<String> movedIn = List.of();
            long schemaVersion = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "changes" -> changes = changes(p, t, Integer.MAX_VALUE);
                    case "next" -> next = integer(p, t);
                    case "more" -> more = bool(t);
                    case "resync" -> resync = bool(t);
                    case "hubSeq" -> hubSeq = integer(p, t);
                    case "reconcile" -> reconcile = strings(p, t);
                    case "movedIn" -> movedIn = strings(p, t);
                    case "schemaVersion" -> schemaVersion = integer(p, t);
                    default -> p.skipChildren();
                }
            }
            if (next == null) {
                throw UNEXPECTED;
            }
            return new WireCodec.Page(
                    new PullResult(changes, next, more, resync, reconcile, 0, schemaVersion, movedIn), hubSeq);
        } catch (IOException | RuntimeException e) {
            throw UNEXPECTED;
        }
    }

    private static List<String> strings(JsonParser p, JsonToken t) throws IOException, Unexpected {
        expect(t, JsonToken.START_ARRAY);
        List<String> out = new ArrayList<>();
        JsonToken x;
        while ((x = p.nextToken()) != JsonToken.END_ARRAY) {
            expect(x, JsonToken.VALUE_STRING);
            out.add(p.getText());
        }
        return out;
    }

    private static List<Change> changes(JsonParser p, JsonToken t, int max) throws IOException, Unexpected {
        expect(t, JsonToken.START_ARRAY);
        List<Change> out = new ArrayList<>();
        String[] seen = new String[2];
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (out.size() == max) {
                throw UNEXPECTED; // the tree reader says how many are allowed
            }
            out.add(change(p, t, seen));
        }
        return out;
    }

    /**
     * The previous change's string when equal to this one: the table and origin of a page repeat,
     * and one instance per page lets every later lookup by them take the identity fast path.
     */
    private static String same(String[] seen, int slot, String s) {
        String before = seen[slot];
        if (s.equals(before)) {
            return before;
        }
        seen[slot] = s;
        return s;
    }

    private static Change change(JsonParser p, JsonToken start, String[] seen) throws IOException, Unexpected {
        expect(start, JsonToken.START_OBJECT);
        String table = null;
        List<Object> key = null;
        Op op = null;
        Map<String, Object> values = null;
        String hlc = null;
        String origin = null;
        long version = -1;
        long base = -1;
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "table" -> table = same(seen, 0, text(p, t));
                case "key" -> {
                    expect(t, JsonToken.START_ARRAY);
                    key = new ArrayList<>(2);
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        key.add(value(p, t));
                    }
                }
                case "op" -> {
                    String name = text(p, t);
                    op = name.equals("UPSERT") ? Op.UPSERT : name.equals("DELETE") ? Op.DELETE : null;
                    if (op == null) {
                        throw UNEXPECTED;
                    }
                }
                case "values" -> {
                    expect(t, JsonToken.START_OBJECT);
                    values = new HandedOverValues(8);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String name = p.currentName();
                        values.put(name, value(p, p.nextToken()));
                    }
                }
                case "hlc" -> hlc = text(p, t);
                case "origin" -> origin = same(seen, 1, text(p, t));
                case "version" -> version = natural(p, t);
                case "base" -> base = natural(p, t);
                case "columns" -> {
                    if (t != JsonToken.START_OBJECT) {
                        throw UNEXPECTED;
                    }
                    stamps = new LinkedHashMap<>();
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String column = p.currentName();
                        expect(p.nextToken(), JsonToken.START_OBJECT);
                        String colHlc = null;
                        String colOrigin = null;
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String f = p.currentName();
                            JsonToken v = p.nextToken();
                            switch (f) {
                                case "hlc" -> colHlc = text(p, v);
                                case "origin" -> colOrigin = text(p, v);
                                default -> p.skipChildren();
                            }
                        }
                        if (colHlc == null || colOrigin == null) {
                            throw UNEXPECTED;
                        }
                        stamps.put(column, new Stamp(Hlc.decode(colHlc), colOrigin));
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (table == null
                || key == null
                || key.isEmpty()
                || op == null
                || hlc == null
                || origin == null
                || version < 0
                || base < 0
                || (op == Op.UPSERT && values == null)) {
            throw UNEXPECTED;
        }
        return new Change(
                table,
                key,
                op,
                op == Op.UPSERT ? values : new LinkedHashMap<>(),
                Hlc.decode(hlc),
                origin,
                version,
                base,
                stamps);
    }

    /** A value as {@link ChangeCodec#value(com.fasterxml.jackson.databind.JsonNode, String)} reads it. */
    private static Object value(JsonParser p, JsonToken t) throws IOException, Unexpected {
        switch (t) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw UNEXPECTED;
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_OBJECT:
                if (p.nextToken() != JsonToken.FIELD_NAME) {
                    throw UNEXPECTED;
                }
                String tag = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    throw UNEXPECTED;
                }
                String text = p.getText();
                if (p.nextToken() != JsonToken.END_OBJECT) {
                    throw UNEXPECTED;
                }
                return switch (tag) {
                    case "$b" -> Base64.getDecoder().decode(text);
                    case "$d" -> ChangeCodec.decimal(text);
                    case "$f" -> Double.parseDouble(text);
                    default -> throw UNEXPECTED;
                };
            default:
                throw UNEXPECTED;
        }
    }

    private static String text(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t != JsonToken.VALUE_STRING) {
            throw UNEXPECTED;
        }
        String s = p.getText();
        if (s.isEmpty()) {
            throw UNEXPECTED;
        }
        return s;
    }

    private static long integer(JsonParser p, JsonToken t) throws IOException, Unexpected {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw UNEXPECTED;
        }
        return p.getLongValue();
    }

    private static long natural(JsonParser p, JsonToken t) throws IOException, Unexpected {
        long n = integer(p, t);
        if (n < 0) {
            throw UNEXPECTED;
        }
        return n;
    }

    private static boolean bool(JsonToken t) throws Unexpected {
        if (t == JsonToken.VALUE_TRUE) {
            return true;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return false;
        }
        throw UNEXPECTED;
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws Unexpected {
        if (actual != wanted) {
            throw UNEXPECTED;
        }
    }
}
