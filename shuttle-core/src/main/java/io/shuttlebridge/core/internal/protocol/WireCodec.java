package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.array;
import static io.shuttlebridge.core.internal.protocol.JsonFields.checkProtocol;
import static io.shuttlebridge.core.internal.protocol.JsonFields.malformed;
import static io.shuttlebridge.core.internal.protocol.JsonFields.number;
import static io.shuttlebridge.core.internal.protocol.JsonFields.requireObject;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON bodies of protocol version 1 that carry changes: push requests and pull or snapshot
 * pages. They are written change by change straight to bytes and read straight from bytes
 * ({@link StreamingReader}) on the upload and bootstrap paths; the tree readers take whatever the
 * fast ones do not. Changes and values use {@link ChangeCodec}; every reader fails with
 * {@link ErrorCode#MALFORMED_PAYLOAD} and a message naming the offending field. The other bodies
 * have codecs of their own: {@link PushResultCodec}, {@link SchemaCodec}, {@link LeaseCodec},
 * {@link ErrorCodec}, {@link EventCodec}.
 */
public final class WireCodec {

    private WireCodec() {}

    /** A push request body after decoding. */
    public record PushRequest(String nodeUuid, List<Change> changes) {}

    /** A pull or snapshot page after decoding, with the hub's feed position when it sent one (else -1). */
    public record Page(PullResult result, long hubSeq) {}

    /**
     * Decodes a push body straight from its bytes when it has the form {@link #pushRequestBytes}
     * writes (the common case, and fast); null otherwise: then parse it and use
     * {@link #pushRequest(JsonNode, int)}, which accepts or refuses it with an exact message.
     */
    public static PushRequest readPushRequest(byte[] body, int maxBatch) {
        try {
            return StreamingReader.push(body, maxBatch);
        } catch (StreamingReader.Unexpected e) {
            return null;
        }
    }

    /** Decodes a pull or snapshot page straight from its bytes, as {@link #readPushRequest} does a push; null when the tree reader must decide. */
    public static Page readPage(byte[] body) {
        try {
            return StreamingReader.page(body);
        } catch (StreamingReader.Unexpected e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ push

    public static String pushRequest(String nodeUuid, List<Change> changes) {
        return new String(pushRequestBytes(nodeUuid, changes), StandardCharsets.UTF_8);
    }

    /** The push body in UTF-8, written change by change. */
    public static byte[] pushRequestBytes(String nodeUuid, List<Change> changes) {
        return JsonBytes.write(changes.size(), g -> {
            g.writeStartObject();
            g.writeNumberField("protocol", Protocol.VERSION);
            g.writeStringField("nodeUuid", nodeUuid);
            g.writeArrayFieldStart("changes");
            for (Change c : changes) {
                ChangeCodec.write(g, c);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Decodes a push body, refusing more than {@code maxBatch} changes before decoding any. */
    public static PushRequest pushRequest(JsonNode o, int maxBatch) {
        requireObject(o, "push body");
        checkProtocol(o);
        String node = text(o, "nodeUuid");
        JsonNode changes = o.get("changes");
        if (changes == null || !changes.isArray()) {
            throw malformed("changes: an array of changes is required");
        }
        if (changes.size() > maxBatch) {
            throw malformed("changes: a batch holds at most " + maxBatch + " changes, this one has " + changes.size()
                    + "; split it into smaller batches");
        }
        return new PushRequest(node, changes(changes));
    }

    // ------------------------------------------------------------------ pull and snapshot

    /** A pull or snapshot page; {@code hubSeq} (the hub's feed position, for progress) is added when known. */
    public static String pullResult(PullResult r, long hubSeq) {
        return new String(pullResultBytes(r, hubSeq), StandardCharsets.UTF_8);
    }

    /** The pull or snapshot page in UTF-8, written change by change. */
    public static byte[] pullResultBytes(PullResult r, long hubSeq) {
        return JsonBytes.write(r.changes().size(), g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("changes");
            for (Change c : r.changes()) {
                ChangeCodec.write(g, c);
            }
            g.writeEndArray();
            g.writeNumberField("next", r.next());
            g.writeBooleanField("more", r.more());
            if (r.resyncRequired()) {
                g.writeBooleanField("resync", true);
            }
            tables(g, "reconcile", r.reconcile());
            tables(g, "movedIn", r.movedIn());
            if (hubSeq >= 0) {
                g.writeNumberField("hubSeq", hubSeq);
            }
            if (r.schemaVersion() != 0) {
                g.writeNumberField("schemaVersion", r.schemaVersion());
            }
            g.writeEndObject();
        });
    }

    /** One change as a pull page writes it, to be put into pages by {@link #pullPageBytes}. */
    public static byte[] changeBytes(Change c) {
        return JsonBytes.write(1, g -> ChangeCodec.write(g, c));
    }

    /**
     * The bytes {@link #pullResultBytes} writes for a pull page of the changes {@code changes} (each as
     * {@link #changeBytes} wrote it) ending at {@code next}, under schema version {@code schemaVersion}.
     */
    public static byte[] pullPageBytes(List<byte[]> changes, long next, boolean more, long schemaVersion) {
        byte[] head = ascii("{\"changes\":[");
        byte[] tail = ascii("],\"next\":" + next + ",\"more\":" + more
                + (schemaVersion != 0 ? ",\"schemaVersion\":" + schemaVersion : "") + "}");
        long size = head.length + tail.length + Math.max(0, changes.size() - 1);
        for (byte[] c : changes) {
            size += c.length;
        }
        // written straight into an array of the page's size: a page is copied once, not grown and copied again
        byte[] out = new byte[Math.toIntExact(size)];
        System.arraycopy(head, 0, out, 0, head.length);
        int at = head.length;
        for (int i = 0; i < changes.size(); i++) {
            if (i > 0) {
                out[at++] = ',';
            }
            byte[] c = changes.get(i);
            System.arraycopy(c, 0, out, at, c.length);
            at += c.length;
        }
        System.arraycopy(tail, 0, out, at, tail.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ key digest

    /** A table's {@link KeyDigest}: {@code {"table":..., "rows":..., "sum":...}}. */
    public static byte[] digest(String table, KeyDigest d) {
        return JsonBytes.write(0, g -> {
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeNumberField("rows", d.rows());
            g.writeNumberField("sum", d.sum());
            g.writeEndObject();
        });
    }

    /** A list of table names as an array field, left out when empty. */
    private static void tables(com.fasterxml.jackson.core.JsonGenerator g, String field, List<String> tables)
            throws IOException {
        if (!tables.isEmpty()) {
            g.writeArrayFieldStart(field);
            for (String t : tables) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
    }

    public static KeyDigest digest(JsonNode o) {
        requireObject(o, "key digest");
        return new KeyDigest(number(o, "rows"), number(o, "sum"));
    }

    public static PullResult pullResult(JsonNode o) {
        requireObject(o, "pull result");
        return new PullResult(
                changes(array(o, "changes")),
                number(o, "next"),
                o.path("more").asBoolean(false),
                o.path("resync").asBoolean(false),
                tables(o, "reconcile"),
                0,
                o.path("schemaVersion").asLong(0),
                tables(o, "movedIn"));
    }

    /** The tables a pull answer names in {@code field} (to reconcile, moved in): an array of table names, or absent. */
    private static List<String> tables(JsonNode o, String field) {
        JsonNode a = o.path(field);
        if (a.isMissingNode() || a.isNull()) {
            return List.of();
        }
        if (!a.isArray()) {
            throw malformed(field + ": an array of table names is expected");
        }
        List<String> out = new ArrayList<>(a.size());
        for (JsonNode t : a) {
            if (!t.isTextual()) {
                throw malformed(field + ": an array of table names is expected, found " + t);
            }
            out.add(t.asText());
        }
        return out;
    }

    private static List<Change> changes(JsonNode changes) {
        List<Change> out = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            out.add(ChangeCodec.change(changes.get(i), "changes[" + i + "]"));
        }
        return out;
    }
}
