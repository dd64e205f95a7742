package io.shuttlebridge.core.internal.protocol;

import static io.shuttlebridge.core.internal.protocol.JsonFields.malformed;
import static io.shuttlebridge.core.internal.protocol.JsonFields.number;
import static io.shuttlebridge.core.internal.protocol.JsonFields.requireObject;
import static io.shuttlebridge.core.internal.protocol.JsonFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * {@code POST /v1/sync/diff}: the request {@code {"table", "part", "parts", "limit", "rows"}}, {@code rows}
 * the device's sorted row hashes ({@link RowSet}) as base64 of 8 bytes each, big-endian; the answer
 * {@code {"changes", "next": 0, "more", "gone"}}, {@code gone} the same form. Internal.
 */
public final class RowDiffCodec {
    private RowDiffCodec() {}

    /** A request read: the table and the rows shown. */
    public record Request(String table, RowSet have, int limit) {}

    public static byte[] request(String table, RowSet have, int limit) {
        return JsonBytes.write(0, g -> {
            g.writeStartObject();
            g.writeStringField("table", table);
            g.writeNumberField("part", have.part());
            g.writeNumberField("parts", have.parts());
            g.writeNumberField("limit", limit);
            g.writeStringField("rows", encode(have.hashes()));
            g.writeEndObject();
        });
    }

    public static Request request(JsonNode o) {
        requireObject(o, "row diff request");
        String table = text(o, "table");
        long part = number(o, "part");
        long parts = number(o, "parts");
        long limit = number(o, "limit");
        if (parts < 1 || parts > RowSet.MAX_PARTS || part < 0 || part >= parts) {
            throw malformed(
                    "part and parts: 0 <= part < parts <= " + RowSet.MAX_PARTS + ", got part " + part + " of " + parts);
        }
        if (limit < 1 || limit > Integer.MAX_VALUE) {
            throw malformed("limit: a positive integer is required, got " + limit);
        }
        JsonNode rows = o.get("rows");
        if (rows == null || !rows.isTextual()) {
            throw malformed("rows: a string is required (base64 of the sorted 8-byte row hashes)");
        }
        long[] hashes = decode(rows.textValue(), "rows");
        for (int i = 1; i < hashes.length; i++) {
            if (hashes[i - 1] > hashes[i]) {
                throw malformed(
                        "rows: the row hashes must be sorted ascending as signed 64-bit integers (at " + i + ")");
            }
        }
        return new Request(table, new RowSet((int) part, (int) parts, hashes), (int) limit);
    }

    public static byte[] answer(RowDiff d) {
        return JsonBytes.write(d.changes().size(), g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("changes");
            for (Change c : d.changes()) {
                ChangeCodec.write(g, c);
            }
            g.writeEndArray();
            g.writeNumberField("next", 0);
            g.writeBooleanField("more", d.more());
            g.writeStringField("gone", encode(d.gone()));
            g.writeEndObject();
        });
    }

    public static RowDiff answer(JsonNode o) {
        requireObject(o, "row diff");
        var page = WireCodec.pullResult(o);
        JsonNode gone = o.get("gone");
        return new RowDiff(
                page.changes(),
                gone == null || gone.isNull() ? new long[0] : decode(gone.asText(), "gone"),
                page.more());
    }

    private static String encode(long[] hashes) {
        ByteBuffer b = ByteBuffer.allocate(hashes.length * 8);
        for (long h : hashes) {
            b.putLong(h);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static long[] decode(String text, String field) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(field + ": not base64 (" + e.getMessage() + ")");
        }
        if (bytes.length % 8 != 0) {
            throw malformed(field + ": " + bytes.length + " bytes is not a whole number of 8-byte hashes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long[] out = new long[bytes.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.getLong();
        }
        return out;
    }
}
