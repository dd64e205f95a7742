package io.shuttlebridge.core.internal.feed;

import static io.shuttlebridge.core.SqliteFiles.count;
import static io.shuttlebridge.core.SqliteFiles.exec;
import static io.shuttlebridge.core.SqliteFiles.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Values read from one replica's feed and written to another come out exactly as they went in. */
public class RoundTripTest {
    static final String DDL = "CREATE TABLE v (id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, any_col)";

    @TempDir
    Path dir;

    public static List<FeedEntry> readAll(ShuttleDatabase db) {
        return db.transaction(c -> {
            SyncSchema schema = SyncSchema.load(c, Dialects.of(db));
            return new FeedReader(Dialects.of(db), schema)
                    .read(c, FeedReader.Query.after(0, 10_000))
                    .entries();
        });
    }

    public static void writeAll(ShuttleDatabase db, List<FeedEntry> entries) {
        db.transaction(c -> {
            ChangeWriter w = new ChangeWriter(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)));
            w.begin(c);
            try {
                for (FeedEntry e : entries) {
                    w.write(e.change());
                }
            } finally {
                w.end();
            }
            return null;
        });
    }

    private Path replica(String name) {
        Path f = dir.resolve(name);
        exec(f, DDL);
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        }
        return f;
    }

    @Test
    void everyValueKindRoundTripsExactly() throws Exception {
        Path a = replica("a.db");
        Path b = replica("b.db");
        Object[][] rows = {
            {1L, Long.MAX_VALUE, 0.1, "", new byte[0], null},
            {2L, Long.MIN_VALUE, -1.7976931348623157e308, null, new byte[] {0, (byte) 0xff, 0}, 42L},
            {3L, 0L, 4.9e-324, "emoji \uD83D\uDE80 and e\u0301 vs \u00e9", new byte[] {1}, "text"},
            {4L, -1L, 1.0, "2024-01-02T03:04:05Z", null, 2.5},
            {5L, 9007199254740993L, -0.0, "  spaced\nlines\t", "x".getBytes(), new byte[] {7}},
            {6L, null, null, "0042", null, "2024-01-02"},
        };
        try (Connection c = SqliteFiles.plain(a);
                PreparedStatement ps = c.prepareStatement("INSERT INTO v VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.executeUpdate();
            }
        }
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase dbb = ShuttleDatabase.sqlite(b)) {
            writeAll(dbb, readAll(da));
        }
        String typed = "SELECT id, i, typeof(i) ti, r, typeof(r) tr, t, typeof(t) tt, hex(b) hb, typeof(b) tb,"
                + " CASE typeof(any_col) WHEN 'blob' THEN hex(any_col) ELSE any_col END a, typeof(any_col) ta FROM v ORDER BY id";
        assertThat(query(b, typed)).isEqualTo(query(a, typed));
        // -0.0 and the smallest subnormal survive bit for bit
        assertThat(query(b, "SELECT r FROM v WHERE id = 3").get(0).get("r")).isEqualTo(4.9e-324);
        assertThat(query(b, "SELECT t FROM v WHERE id = 4").get(0).get("t")).isEqualTo("2024-01-02T03:04:05Z");
    }

    @Test
    void appliedChangesAreNotEchoedAndKeepOriginHlcAndVersion() {
        Path a = replica("a.db");
        Path b = replica("b.db");
        exec(
                a,
                "INSERT INTO v (id, t) VALUES (1, 'x')",
                "UPDATE v SET t = 'y' WHERE id = 1",
                "INSERT INTO v (id, t) VALUES (2, 'z')",
                "DELETE FROM v WHERE id = 2");
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase dbb = ShuttleDatabase.sqlite(b)) {
            List<FeedEntry> entries = readAll(da);
            String originA = entries.get(0).change().origin();
            writeAll(dbb, entries);

            List<FeedEntry> atB = readAll(dbb);
            assertThat(atB).hasSize(2);
            for (int i = 0; i < 2; i++) {
                Change sent = entries.get(i).change();
                Change stored = atB.get(i).change();
                assertThat(stored.origin()).isEqualTo(originA);
                assertThat(stored.hlc()).isEqualTo(sent.hlc());
                assertThat(stored.version()).isEqualTo(sent.version());
                assertThat(stored.op()).isEqualTo(sent.op());
            }
            // the clock at B moved past what it received: B's next local write is stamped later
            exec(b, "INSERT INTO v (id, t) VALUES (3, 'local')");
            Feed.compact(dbb);
            long localHlc = count(b, "SELECT hlc FROM _shuttle_feed WHERE pk = 3");
            assertThat(localHlc).isGreaterThan(entries.get(1).change().hlc());
            assertThat(count(b, "SELECT count(*) FROM _shuttle_feed")).isEqualTo(3);
            assertThat(query(b, "SELECT id, t FROM v ORDER BY id"))
                    .containsExactly(Map.of("id", 1L, "t", "y"), Map.of("id", 3L, "t", "local"));
        }
    }

    @Test
    void readerAdvancesOverFilteredPagesAndExcludesWhatCameFromThePeer() {
        Path a = replica("a.db");
        Path b = replica("b.db");
        exec(a, "INSERT INTO v (id) VALUES (1)", "INSERT INTO v (id) VALUES (2)");
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase dbb = ShuttleDatabase.sqlite(b)) {
            FeedReader.Page filtered =
                    da.transaction(c -> new FeedReader(Dialects.of(da), SyncSchema.load(c, Dialects.of(da)))
                            .read(c, FeedReader.Query.after(0, 1).onlyTables(Set.of("other"))));
            assertThat(filtered.entries()).isEmpty();
            assertThat(filtered.lastSeq()).isEqualTo(1); // a fully filtered page still advances
            assertThat(filtered.more()).isTrue();

            String nodeA = readAll(da).get(0).change().origin();
            dbb.transaction(c -> {
                ChangeWriter w = new ChangeWriter(Dialects.of(dbb), SyncSchema.load(c, Dialects.of(dbb)));
                w.begin(c);
                w.via(nodeA);
                for (FeedEntry e : readAll(da)) {
                    w.write(e.change());
                }
                w.end();
                return null;
            });
            exec(b, "INSERT INTO v (id) VALUES (3)");
            FeedReader.Page forA =
                    dbb.transaction(c -> new FeedReader(Dialects.of(dbb), SyncSchema.load(c, Dialects.of(dbb)))
                            .read(c, FeedReader.Query.after(0, 100).excludingPeer(nodeA)));
            assertThat(forA.entries()).extracting(e -> e.change().key().get(0)).containsExactly(3L);
        }
    }

    @Test
    void writesOfOneBatchLandInOrderWhenRowsRepeatAndDeletesInterleave() {
        Path b = replica("b.db");
        String node = "0b5e6f7a-0000-4000-8000-000000000001";
        List<FeedEntry> writes = new ArrayList<>();
        long hlc = 1_000_000L << 16;
        for (long id = 1; id <= 150; id++) { // more rows than one statement holds, and a remainder
            writes.add(entry(id, "first " + id, ++hlc, node));
        }
        writes.add(entry(7, "second 7", ++hlc, node)); // the same row again in the batch: the later write stands
        writes.add(new FeedEntry(0, new Change("v", List.of(8L), Op.DELETE, Map.of(), ++hlc, node, 2, 1, Map.of())));
        writes.add(entry(9, "second 9", ++hlc, node));
        writes.add(new FeedEntry(0, new Change("v", List.of(9L), Op.DELETE, Map.of(), ++hlc, node, 3, 2, Map.of())));
        writes.add(entry(10, "second 10", ++hlc, node));
        writes.add(entry(10, "third 10", ++hlc, node));
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(b)) {
            writeAll(db, writes);
        }
        assertThat(count(b, "SELECT count(*) FROM v")).isEqualTo(148);
        assertThat(query(b, "SELECT t FROM v WHERE id IN (7, 10, 150) ORDER BY id"))
                .extracting(r -> r.get("t"))
                .containsExactly("second 7", "third 10", "first 150");
        assertThat(count(b, "SELECT count(*) FROM v WHERE id IN (8, 9)")).isZero();
        assertThat(count(b, "SELECT count(*) FROM _shuttle_feed")).isEqualTo(150);
    }

    private static FeedEntry entry(long id, String text, long hlc, String node) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", id);
        values.put("i", id * 10);
        values.put("r", null);
        values.put("t", text);
        values.put("b", null);
        values.put("any_col", null);
        return new FeedEntry(0, new Change("v", List.of(id), Op.UPSERT, values, hlc, node, 1, 0, Map.of()));
    }
}
