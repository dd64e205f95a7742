package io.shuttlebridge.core.internal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Types;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * JSON bodies of protocol version 1. Changes and values use {@link ChangeCodec}; every reader
 * fails with {@link ErrorCode#MALFORMED_PAYLOAD} and a message naming the offending field.
 */
public final class WireCodec {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

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
        return write(changes.size(), g -> {
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
        List<Change> out = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            out.add(ChangeCodec.change(changes.get(i), "changes[" + i + "]"));
        }
        return new PushRequest(node, out);
    }

    public static String pushResult(PushResult r) {
        ObjectNode o = F.objectNode();
        o.put("applied", r.applied());
        o.put("duplicates", r.duplicates());
        o.put("superseded", r.superseded());
        o.put("pending", r.pending());
        ArrayNode conflicts = o.putArray("conflicts");
        r.conflicts().forEach(c -> conflicts.add(conflict(c)));
        o.put("hubSeq", r.hubSeq());
        ArrayNode rejected = o.putArray("rejected");
        r.rejected()
                .forEach(s ->
                        rejected.addObject().put("hlc", Hlc.encode(s.hlc())).put("origin", s.origin()));
        return ChangeCodec.toJson(o);
    }

    public static PushResult pushResult(JsonNode o) {
        requireObject(o, "push result");
        List<ConflictRecord> conflicts = new ArrayList<>();
        for (JsonNode c : array(o, "conflicts")) {
            conflicts.add(conflict(c));
        }
        List<Stamp> rejected = new ArrayList<>();
        for (JsonNode s : array(o, "rejected")) {
            rejected.add(new Stamp(Hlc.decode(text(s, "hlc")), text(s, "origin")));
        }
        return new PushResult(
                integer(o, "applied"),
                integer(o, "duplicates"),
                integer(o, "superseded"),
                integer(o, "pending"),
                conflicts,
                number(o, "hubSeq"),
                rejected);
    }

    // ------------------------------------------------------------------ pull and snapshot

    /** A pull or snapshot page; {@code hubSeq} (the hub's feed position, for progress) is added when known. */
    public static String pullResult(PullResult r, long hubSeq) {
        return new String(pullResultBytes(r, hubSeq), StandardCharsets.UTF_8);
    }

    /** The pull or snapshot page in UTF-8, written change by change. */
    public static byte[] pullResultBytes(PullResult r, long hubSeq) {
        return write(r.changes().size(), g -> {
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
            if (hubSeq >= 0) {
                g.writeNumberField("hubSeq", hubSeq);
            }
            g.writeEndObject();
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Writes UTF-8 as the tree writer's strings do: characters beyond the BMP as themselves, not as escaped surrogate pairs. */
    private static final JsonFactory BYTES = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    /** Bytes a change usually takes on the wire: the buffer starts near its final size instead of doubling up to it. */
    private static final int BYTES_PER_CHANGE = 256;

    private static byte[] write(int changes, Body body) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(64L * 1024 * 1024, 8192L + (long) changes * BYTES_PER_CHANGE));
        try (JsonGenerator g = BYTES.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot write JSON", e);
        }
        return out.toByteArray();
    }

    public static PullResult pullResult(JsonNode o) {
        requireObject(o, "pull result");
        JsonNode changes = array(o, "changes");
        List<Change> out = new ArrayList<>(changes.size());
        for (int i = 0; i < changes.size(); i++) {
            out.add(ChangeCodec.change(changes.get(i), "changes[" + i + "]"));
        }
        return new PullResult(
                out,
                number(o, "next"),
                o.path("more").asBoolean(false),
                o.path("resync").asBoolean(false));
    }

    // ------------------------------------------------------------------ lease

    public static String leaseRequest(String deviceKey, String nodeUuid) {
        return ChangeCodec.toJson(F.objectNode().put("deviceKey", deviceKey).put("nodeUuid", nodeUuid));
    }

    public static String lease(Lease l) {
        return ChangeCodec.toJson(F.objectNode()
                .put("shortId", l.shortId())
                .put("leaseExpiresAt", l.leaseExpiresAt().toString()));
    }

    public static Lease lease(JsonNode o) {
        requireObject(o, "lease");
        try {
            return new Lease(integer(o, "shortId"), Instant.parse(text(o, "leaseExpiresAt")));
        } catch (DateTimeParseException e) {
            throw malformed("leaseExpiresAt: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ schema

    public static String schema(HubSchema s) {
        return schema(s, null);
    }

    /** The schema document, with the hub's push limits when given. */
    public static String schema(HubSchema s, HubLimits limits) {
        ObjectNode o = F.objectNode();
        o.put("protocol", Protocol.VERSION);
        o.put("hubNode", s.hubNode());
        o.put("dialect", s.dialect());
        if (limits != null) {
            o.putObject("limits").put("maxBatch", limits.maxBatch()).put("maxBodyBytes", limits.maxBodyBytes());
        }
        ArrayNode tables = o.putArray("tables");
        for (HubSchema.TableSpec t : s.tables()) {
            ObjectNode tn = tables.addObject();
            tn.put("name", t.name());
            tn.put("policy", t.policy().name());
            if (t.scopeColumn() != null) {
                tn.put("scopeColumn", t.scopeColumn());
            }
            ArrayNode ex = tn.putArray("excluded");
            t.excluded().stream().sorted().forEach(ex::add);
            ArrayNode cols = tn.putArray("columns");
            for (Column c : t.table().columns()) {
                cols.addObject()
                        .put("name", c.name())
                        .put("type", c.declaredType())
                        .put("jdbcType", c.jdbcType())
                        .put("nullable", c.nullable())
                        .put("primaryKey", c.primaryKeyPosition());
            }
            ArrayNode fks = tn.putArray("foreignKeys");
            for (ForeignKey fk : t.table().foreignKeys()) {
                ObjectNode f = fks.addObject();
                fk.childColumns().forEach(f.putArray("columns")::add);
                f.put("parent", fk.parentTable());
                fk.parentColumns().forEach(f.putArray("parentColumns")::add);
            }
        }
        return ChangeCodec.toJson(o);
    }

    /** The push limits a schema document announces; {@link HubLimits#DEFAULT} when it announces none. */
    public static HubLimits limits(JsonNode schema) {
        JsonNode l = schema.path("limits");
        if (!l.path("maxBatch").canConvertToInt()
                || !l.path("maxBodyBytes").canConvertToLong()
                || l.path("maxBatch").asInt() <= 0
                || l.path("maxBodyBytes").asLong() <= 0) {
            return HubLimits.DEFAULT;
        }
        return new HubLimits(l.path("maxBatch").asInt(), l.path("maxBodyBytes").asLong());
    }

    public static HubSchema schema(JsonNode o) {
        requireObject(o, "schema");
        List<HubSchema.TableSpec> tables = new ArrayList<>();
        for (JsonNode tn : array(o, "tables")) {
            String name = text(tn, "name");
            List<Column> cols = new ArrayList<>();
            for (JsonNode c : array(tn, "columns")) {
                cols.add(new Column(
                        text(c, "name"),
                        c.path("type").asText(""),
                        c.path("jdbcType").asInt(Types.OTHER),
                        c.path("nullable").asBoolean(true),
                        c.path("primaryKey").asInt(0)));
            }
            List<ForeignKey> fks = new ArrayList<>();
            for (JsonNode f : array(tn, "foreignKeys")) {
                fks.add(new ForeignKey(
                        name, strings(f.get("columns")), text(f, "parent"), strings(f.get("parentColumns"))));
            }
            Set<String> excluded = new HashSet<>(strings(tn.get("excluded")));
            tables.add(new HubSchema.TableSpec(
                    new Table(name, cols, fks),
                    ConflictPolicy.parse(text(tn, "policy")),
                    excluded,
                    tn.hasNonNull("scopeColumn") ? tn.get("scopeColumn").asText() : null));
        }
        return new HubSchema(text(o, "hubNode"), text(o, "dialect"), tables);
    }

    // ------------------------------------------------------------------ errors

    public static String error(ErrorCode code, String message) {
        ObjectNode o = F.objectNode();
        o.putObject("error").put("code", code.name()).put("message", message == null ? code.name() : message);
        return ChangeCodec.toJson(o);
    }

    public static String error(String code, String message) {
        ObjectNode o = F.objectNode();
        o.putObject("error").put("code", code).put("message", message);
        return ChangeCodec.toJson(o);
    }

    public static String event(StreamEvent e) {
        return ChangeCodec.toJson(F.objectNode().put("hubSeq", e.hubSeq()));
    }

    public static StreamEvent event(JsonNode o) {
        return new StreamEvent(number(o, "hubSeq"));
    }

    // ------------------------------------------------------------------ conflicts

    static ObjectNode conflict(ConflictRecord c) {
        ObjectNode o = F.objectNode();
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

    static ConflictRecord conflict(JsonNode o) {
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
            return F.nullNode();
        }
        ObjectNode o = F.objectNode();
        values.forEach((k, v) -> o.set(k, ChangeCodec.value(v)));
        return o;
    }

    private static Map<String, Object> values(JsonNode o) {
        return o == null || o.isNull() ? null : ChangeCodec.valuesFromJson(ChangeCodec.toJson(o));
    }

    // ------------------------------------------------------------------ field readers

    private static void checkProtocol(JsonNode o) {
        JsonNode p = o.get("protocol");
        if (p != null && p.asInt(-1) != Protocol.VERSION) {
            throw malformed("protocol: this hub speaks version " + Protocol.VERSION + ", the request says " + p);
        }
    }

    private static void requireObject(JsonNode o, String what) {
        if (o == null || !o.isObject()) {
            throw malformed(what + ": a JSON object is required");
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.textValue().isEmpty()) {
            throw malformed(field + ": a non-empty string is required");
        }
        return n.textValue();
    }

    private static long number(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || !n.isIntegralNumber()) {
            throw malformed(field + ": an integer is required");
        }
        return n.longValue();
    }

    private static int integer(JsonNode o, String field) {
        return Math.toIntExact(number(o, field));
    }

    private static JsonNode array(JsonNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return F.arrayNode();
        }
        if (!n.isArray()) {
            throw malformed(field + ": an array is required");
        }
        return n;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a != null && a.isArray()) {
            a.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static ShuttleException malformed(String message) {
        return new ShuttleException(ErrorCode.MALFORMED_PAYLOAD, message);
    }
}
