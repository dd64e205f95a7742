package io.shuttlebridge.core.internal.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a filtered snapshot stands between two pages, kept in {@code _shuttle_meta} (which every
 * database has) under a cursor of its own. The protocol's cursor is one integer, and a position in
 * key order (a table and a key of any type) does not fit in one: the page hands out a cursor that
 * names the position, the hub's database keeps it, and any hub over that database can go on from
 * it, after a restart too. A cursor is never reused; an earlier page's cursor stays valid (a page
 * asked again gives the same rows), until it expires after {@link #KEEP}.
 *
 * <p>Cursors are the integers from 2^52 up to 2^53: far above any feed seq, and exact in a JSON
 * number read as a double. Their high bits are the second they were made (since 2025-01-01), so that
 * expired ones are one range of {@code _shuttle_meta} keys; the low 20 bits are random.
 */
final class SnapshotCursors {
    static final long FIRST = 1L << 52;
    static final long END = 1L << 53;
    /** How long a snapshot cursor stays valid: a device that stops part-way longer than that starts over. */
    static final Duration KEEP = Duration.ofDays(7);

    private static final long EPOCH_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z
    private static final int RANDOM_BITS = 20;
    private static final String PREFIX = "snapshot:";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SnapshotCursors() {}

    /**
     * Where a snapshot stands: for {@code node}, as of feed position {@code horizon}; in {@code table}
     * after the row of stored key {@code key} (null: from its first row) scanning {@code span} keys at a
     * time, fitted to pages of {@code spanRows} rows (0: not known, as in a cursor kept by an older hub), or,
     * with no table, among the tombstones after {@code seq}.
     */
    record Position(String node, long horizon, String table, Object key, int span, long seq, int spanRows) {
        /** A position whose span is not fitted to a page size. */
        Position(String node, long horizon, String table, Object key, int span, long seq) {
            this(node, horizon, table, key, span, seq, 0);
        }
    }

    static boolean isCursor(long value) {
        return value >= FIRST && value < END;
    }

    /** Keeps {@code p} under a new cursor, which it returns. */
    static long save(Connection c, Position p, long nowMillis) throws SQLException {
        String value = encode(p);
        while (true) {
            long cursor = cursor(nowMillis, ThreadLocalRandom.current().nextLong(1L << RANDOM_BITS));
            int added = Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                    key(cursor),
                    value);
            if (added == 1) {
                return cursor;
            }
        }
    }

    /** The position a cursor names, if it is known, not expired, and was handed to {@code node}. */
    static Optional<Position> load(Connection c, long cursor, String node, long nowMillis) throws SQLException {
        if (!isCursor(cursor) || cursor < cursor(nowMillis - KEEP.toMillis(), 0)) {
            return Optional.empty();
        }
        Optional<String> value = MetaKeys.get(c, key(cursor));
        return value.map(SnapshotCursors::decode).filter(p -> p.node().equals(node));
    }

    /** Forgets the cursors that have expired. */
    static void forgetExpired(Connection c, long nowMillis) throws SQLException {
        // keys of one width compare as their numbers; the LIKE keeps other keys out whatever the collation
        Jdbc.update(
                c,
                "DELETE FROM _shuttle_meta WHERE key >= ? AND key < ? AND key LIKE '" + PREFIX + "%'",
                key(FIRST),
                key(cursor(nowMillis - KEEP.toMillis(), 0)));
    }

    private static long cursor(long millis, long random) {
        long seconds = Math.max(0, (millis - EPOCH_MILLIS) / 1000);
        return FIRST | (seconds << RANDOM_BITS) | random;
    }

    private static String key(long cursor) {
        return PREFIX + String.format("%016d", cursor);
    }

    private static String encode(Position p) {
        ObjectNode o = JSON.createObjectNode();
        o.put("node", p.node());
        o.put("horizon", p.horizon());
        o.put("span", p.span());
        if (p.spanRows() > 0) {
            o.put("spanRows", p.spanRows());
        }
        if (p.table() != null) {
            o.put("table", p.table());
            if (p.key() != null) {
                o.set("key", storedKey(p.key()));
            }
        } else {
            o.put("seq", p.seq());
        }
        return o.toString();
    }

    private static Position decode(String json) {
        try {
            JsonNode o = JSON.readTree(json);
            return new Position(
                    o.path("node").asText(),
                    o.path("horizon").asLong(),
                    o.hasNonNull("table") ? o.get("table").asText() : null,
                    o.hasNonNull("key") ? storedKey(o.get("key")) : null,
                    o.path("span").asInt(),
                    o.path("seq").asLong(),
                    o.path("spanRows").asInt());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt snapshot cursor in _shuttle_meta: " + json, e);
        }
    }

    /** A stored feed key with its kind: text, integer, real, decimal or bytes (SQLite keeps a one-column key as is). */
    private static JsonNode storedKey(Object k) {
        ObjectNode o = JSON.createObjectNode();
        switch (k) {
            case String s -> o.put("s", s);
            case Long l -> o.put("i", l);
            case Integer i -> o.put("i", i.longValue());
            case Double d -> o.put("d", d);
            case BigDecimal b -> o.put("n", b.toPlainString());
            case byte[] b -> o.put("b", HexFormat.of().formatHex(b));
            default -> o.put("s", String.valueOf(k));
        }
        return o;
    }

    private static Object storedKey(JsonNode o) {
        if (o.has("i")) {
            return o.get("i").asLong();
        }
        if (o.has("d")) {
            return o.get("d").asDouble();
        }
        if (o.has("n")) {
            return new BigDecimal(o.get("n").asText());
        }
        if (o.has("b")) {
            return HexFormat.of().parseHex(o.get("b").asText());
        }
        return o.path("s").asText();
    }
}
