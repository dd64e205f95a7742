package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pushed change the hub's database refuses for good (a constraint of the hub's tables, a value too
 * large for its column, a table or column it does not sync) is refused alone, with a code and a
 * message naming the constraint, column or table, and the rest of the batch is applied in one
 * transaction; on SQLite and PostgreSQL hubs.
 */
class PoisonChangesTest {
    @TempDir
    Path dir;

    private ShuttleDatabase db;
    private final String device = UUID.randomUUID().toString();
    private long clock = System.currentTimeMillis() + 60_000; // after the hub's own rows

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    /** A hub whose item table has constraints a device's copy would not: a unique code, a CHECK, a short code. */
    private SyncEngine hub(String kind, AtomicInteger listened) {
        db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("hub.db"))
                : ShuttleDatabase.open(Postgres.freshDatabase());
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, code VARCHAR(8) NOT NULL, qty INTEGER,"
                + " price NUMERIC(5,2), CONSTRAINT item_qty_check CHECK (qty >= 0))");
        db.execute("CREATE UNIQUE INDEX item_code_key ON item (code)");
        // a table of the hub's own, not synced, whose rows hold items in place
        db.execute("CREATE TABLE invoice_line (id BIGINT PRIMARY KEY, item_id BIGINT NOT NULL REFERENCES item(id))");
        db.execute("INSERT INTO item (id, code, qty) VALUES (1, 'A1', 5), (2, 'B2', 5)");
        db.execute("INSERT INTO invoice_line VALUES (100, 2)");
        Capture.enable(db, CaptureOptions.builder().tables("item").build());
        return SyncEngine.builder(db)
                .applyListener(ch -> listened.incrementAndGet())
                .build();
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void onlyTheChangesTheHubRefusesAreLeftOutAndTheRestIsApplied(String kind) {
        AtomicInteger listened = new AtomicInteger();
        SyncEngine hub = hub(kind, listened);
        Map<String, Object> withNote = item(12, "C3", 1);
        withNote.put("note", "a column the hub does not have");
        List<Change> batch = List.of(
                upsert(item(10, "OK1", 1)), // 0
                upsert(item(11, "A1", 1)), // 1: the code is taken: a unique index the device does not have
                upsert(withNote), // 2: an unknown column
                upsert(item(13, "OK2", -4)), // 3: the hub's CHECK
                upsert("gadget", Map.of("id", 1L)), // 4: an unknown table
                delete(2), // 5: an invoice line of the hub's holds the item
                upsert(item(14, "OK3", 2))); // 6
        long before = hub.feedPosition();

        PushResult r = hub.acceptPush(device, batch);

        assertThat(r.applied()).isEqualTo(2);
        assertThat(r.refused())
                .extracting(PushResult.Refusal::index, PushResult.Refusal::code)
                .containsExactly(
                        tuple(1, ErrorCode.CONSTRAINT),
                        tuple(2, ErrorCode.SCHEMA_MISMATCH),
                        tuple(3, ErrorCode.CONSTRAINT),
                        tuple(4, ErrorCode.SCHEMA_MISMATCH),
                        tuple(5, ErrorCode.CONSTRAINT));
        Map<Integer, String> said = new LinkedHashMap<>();
        r.refused().forEach(x -> said.put(x.index(), x.message()));
        assertThat(said.get(1))
                .contains(kind.equals("sqlite") ? "UNIQUE constraint failed: item.code" : "\"item_code_key\"")
                .contains("[11]")
                .doesNotContain("Detail", "(code)=(A1)");
        assertThat(said.get(2)).contains("unknown or unreplicated column \"note\" of table \"item\"");
        assertThat(said.get(3)).contains("item_qty_check");
        assertThat(said.get(4)).contains("table \"gadget\" is not synced here");
        assertThat(said.get(5)).contains(kind.equals("sqlite") ? "FOREIGN KEY constraint failed" : "invoice_line");
        assertThat(r.rejected())
                .containsAll(r.refused().stream().map(PushResult.Refusal::stamp).toList());
        // the hub's row comes back for a row it holds, none for one it does not; none for a schema mismatch
        assertThat(r.refused().get(0).hubRow()).isNull();
        assertThat(r.refused().get(4).hubRow().values()).containsEntry("code", "B2");
        assertThat(r.refused().get(1).hubRow()).isNull();

        assertThat(items()).containsExactly("1|A1|5", "2|B2|5", "10|OK1|1", "14|OK3|2");
        assertThat(hub.feedPosition()).isEqualTo(before + 2);

        // the same batch again: the same refusals, the rest duplicates
        PushResult again = hub.acceptPush(device, batch);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(2);
        assertThat(again.refused()).extracting(PushResult.Refusal::index).containsExactly(1, 2, 3, 4, 5);
        assertThat(listened.get()).isPositive();
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aBatchThatFitsIsAppliedOnceAndTwoChangesCollidingInOneBatchLeaveTheSecondOut(String kind) {
        AtomicInteger listened = new AtomicInteger();
        SyncEngine hub = hub(kind, listened);
        PushResult fits = hub.acceptPush(device, List.of(upsert(item(20, "F1", 1)), upsert(item(21, "F2", 1))));
        assertThat(fits.applied()).isEqualTo(2);
        assertThat(fits.refused()).isEmpty();
        assertThat(listened.get()).as("applied once, never tried again").isEqualTo(2);

        PushResult r = hub.acceptPush(device, List.of(upsert(item(22, "SAME", 1)), upsert(item(23, "SAME", 1))));
        assertThat(r.applied()).isEqualTo(1);
        assertThat(r.refused()).extracting(PushResult.Refusal::index).containsExactly(1);
        assertThat(items()).contains("22|SAME|1").doesNotContain("23|SAME|1");
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aValueTooLargeForItsColumnIsRefusedNamingTheColumn(String kind) {
        SyncEngine hub = hub(kind, new AtomicInteger());
        Map<String, Object> wide = item(30, "OK", 1);
        wide.put("price", new BigDecimal("123456.50"));
        List<Change> batch = List.of(upsert(item(31, "TWELVE-CHARS", 1)), upsert(wide), upsert(item(32, "FINE", 1)));
        PushResult r = hub.acceptPush(device, batch);
        if (kind.equals("sqlite")) {
            // SQLite keeps any length in a VARCHAR(8) and any number in a NUMERIC(5,2): nothing to refuse
            assertThat(r.refused()).isEmpty();
            assertThat(r.applied()).isEqualTo(3);
            return;
        }
        assertThat(r.applied()).isEqualTo(1);
        assertThat(r.refused())
                .extracting(PushResult.Refusal::index, PushResult.Refusal::code)
                .containsExactly(tuple(0, ErrorCode.VALUE_TOO_LARGE), tuple(1, ErrorCode.VALUE_TOO_LARGE));
        assertThat(r.refused().get(0).message())
                .contains("column \"code\" of \"item\" is character varying(8)")
                .contains("12 characters");
        assertThat(r.refused().get(1).message())
                .contains("column \"price\" of \"item\" is numeric(5,2)")
                .contains("numeric field overflow");
        assertThat(items()).contains("32|FINE|1");
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aMalformedBatchIsStillRefusedWhole(String kind) {
        SyncEngine hub = hub(kind, new AtomicInteger());
        Change badKey = new Change(
                "item", List.of(40L, 41L), Op.UPSERT, item(40, "K", 1), Hlc.pack(++clock, 0), device, 1, 0, Map.of());
        assertThatThrownBy(() -> hub.acceptPush(device, List.of(upsert(item(42, "G", 1)), badKey)))
                .isInstanceOf(ShuttleException.class)
                .satisfies(e -> assertThat(((ShuttleException) e).code()).isEqualTo(ErrorCode.MALFORMED_PAYLOAD))
                .hasMessageContaining("key has 2 parts");
        assertThat(items()).containsExactly("1|A1|5", "2|B2|5");
    }

    private List<String> items() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, code, qty FROM item ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getObject(3));
                }
            }
            return out;
        });
    }

    private static Map<String, Object> item(long id, String code, long qty) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", id);
        v.put("code", code);
        v.put("qty", qty);
        v.put("price", null);
        return v;
    }

    private Change upsert(Map<String, Object> values) {
        return upsert("item", values);
    }

    private Change upsert(String table, Map<String, Object> values) {
        return new Change(
                table, List.of(values.get("id")), Op.UPSERT, values, Hlc.pack(++clock, 0), device, 1, 0, Map.of());
    }

    private Change delete(long id) {
        return new Change("item", List.of(id), Op.DELETE, null, Hlc.pack(++clock, 0), device, 1, 0, Map.of());
    }
}
