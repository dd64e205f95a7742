package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.count;
import static io.shuttlebridge.core.Postgres.exec;
import static io.shuttlebridge.core.Postgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.ChangeWriter;
import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Capture on a real PostgreSQL, with writes made by plain JDBC connections as psql would make them. */
class PostgresCaptureTest {
    private final String url = Postgres.freshDatabase();

    private ShuttleDatabase enable(CaptureOptions options) {
        ShuttleDatabase db = ShuttleDatabase.open(url);
        Capture.enable(db, options, ProgressListener.NONE);
        return db;
    }

    private List<Map<String, Object>> feed(ShuttleDatabase db) {
        Feed.compact(db);
        return query(url, "SELECT tbl, pk, seq, op, hlc, origin, version, base FROM _shuttle_feed ORDER BY seq");
    }

    private static List<FeedEntry> read(ShuttleDatabase db) {
        return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                .read(c, FeedReader.Query.after(0, 1000))
                .entries());
    }

    @Test
    void plainSqlWritesAreCapturedOneEntryPerRowWithIncreasingStamps() {
        exec(
                url,
                "CREATE TABLE item (id bigint PRIMARY KEY, name text, qty integer)",
                "INSERT INTO item VALUES (9, 'old', 1)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            assertThat(feed(db)).hasSize(1); // backfilled
            exec(
                    url,
                    "INSERT INTO item VALUES (1, 'pen', 3)",
                    "INSERT INTO item VALUES (2, 'ink', 1)",
                    "UPDATE item SET qty = 4 WHERE id = 1",
                    "UPDATE item SET qty = 5 WHERE id = 1",
                    "DELETE FROM item WHERE id = 2",
                    "INSERT INTO item VALUES (9223372036854775807, 'max', 0)");
            List<Map<String, Object>> feed = feed(db);
            assertThat(feed).extracting(r -> r.get("pk")).containsExactly("9", "1", "2", "9223372036854775807");
            Map<String, Object> one = feed.get(1);
            assertThat(one.get("version")).isEqualTo(3L);
            assertThat(one.get("op")).isEqualTo(1);
            assertThat(feed.get(2).get("op")).isEqualTo(2);
            assertThat(feed).extracting(r -> (Long) r.get("hlc")).isSorted().doesNotHaveDuplicates();

            List<FeedEntry> entries = read(db);
            assertThat(entries)
                    .extracting(e -> e.change().key())
                    .containsExactly(List.of(9L), List.of(1L), List.of(2L), List.of(Long.MAX_VALUE));
            assertThat(entries.get(1).change().values())
                    .containsEntry("qty", 5L)
                    .containsEntry("name", "pen");
        }
    }

    @Test
    void updateThatChangesNoReplicatedColumnLogsNothing() {
        exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text, meta json, updated_at timestamptz)");
        try (ShuttleDatabase db = enable(
                CaptureOptions.builder().excludeColumn("note", "updated_at").build())) {
            exec(url, "INSERT INTO note VALUES (1, 'a', '{\"x\": 1}', now())");
            List<Map<String, Object>> before = feed(db);
            exec(
                    url,
                    "UPDATE note SET updated_at = now() + interval '1 day' WHERE id = 1",
                    "UPDATE note SET body = 'a', meta = '{\"x\": 1}'");
            assertThat(feed(db)).isEqualTo(before);
            exec(url, "UPDATE note SET meta = '{\"x\": 2}'");
            assertThat(feed(db).get(0).get("version")).isEqualTo(2L);
            assertThat(count(url, "SELECT count(*) FROM _shuttle_log")).isZero();
        }
    }

    @Test
    void compositeAndHostileNamesKeepExactKeys() {
        exec(
                url,
                "CREATE TABLE \"Order Line\"\"s; --\" (\"select\" text, \"n°\" bigint, \"b\"\"lob\" bytea, \"from\" uuid,"
                        + " \"ä value\" text, PRIMARY KEY (\"select\", \"n°\", \"b\"\"lob\", \"from\"))");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            exec(
                    url,
                    "INSERT INTO \"Order Line\"\"s; --\" VALUES ('it''s, \"quoted\" [1]', -9223372036854775808, '\\x00ff',"
                            + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'v')");
            FeedEntry e = read(db).get(0);
            List<Object> key = e.change().key();
            assertThat(key.get(0)).isEqualTo("it's, \"quoted\" [1]");
            assertThat(key.get(1)).isEqualTo(Long.MIN_VALUE);
            assertThat((byte[]) key.get(2)).containsExactly(0, 0xff);
            assertThat(key.get(3)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(e.change().values()).containsEntry("ä value", "v");

            // a key change is a delete of the old key and an upsert of the new one
            exec(url, "UPDATE \"Order Line\"\"s; --\" SET \"n°\" = 5");
            List<FeedEntry> after = read(db);
            assertThat(after).extracting(x -> x.change().op()).containsExactly(Op.DELETE, Op.UPSERT);
            assertThat(after.get(1).change().key().get(1)).isEqualTo(5L);
        }
    }

    @Test
    void appliedChangesAreNotEchoedButKeepOriginAndHlcWhileOtherSessionsAreCaptured() throws Exception {
        exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, name text)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            String remote = "0b8a2f64-3c1e-4c57-9a57-6f0f3c7d0001";
            long hlc = 1L << 50;
            db.transaction(c -> {
                SyncSchema schema = SyncSchema.load(c, Dialects.of(db));
                ChangeWriter w = new ChangeWriter(Dialects.of(db), schema);
                w.begin(c);
                w.via(remote);
                w.write(new Change(
                        "item",
                        List.of(7L),
                        Op.UPSERT,
                        Map.of("id", 7L, "name", "remote"),
                        hlc,
                        remote,
                        3,
                        2,
                        Map.of()));
                // another session writes while the apply is under way: it is captured as a local write
                exec(url, "INSERT INTO item VALUES (8, 'psql')");
                w.end();
                return null;
            });
            List<FeedEntry> entries = read(db);
            assertThat(entries).hasSize(2);
            FeedEntry applied = entries.stream()
                    .filter(x -> x.change().key().equals(List.of(7L)))
                    .findFirst()
                    .orElseThrow();
            assertThat(applied.change().origin()).isEqualTo(remote);
            assertThat(applied.change().hlc()).isEqualTo(hlc);
            assertThat(applied.change().version()).isEqualTo(3);
            FeedEntry local = entries.stream()
                    .filter(x -> x.change().key().equals(List.of(8L)))
                    .findFirst()
                    .orElseThrow();
            assertThat(local.change().origin())
                    .isEqualTo(db.read(c -> SyncSchema.load(c, Dialects.of(db)).nodeUuid()));
            // the clock moved past the received stamp
            exec(url, "INSERT INTO item VALUES (9, 'later')");
            assertThat(read(db).get(2).change().hlc()).isGreaterThan(hlc);
        }
    }

    @Test
    void removeTakesEveryObjectAway() {
        exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, name text)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            Capture.remove(db);
        }
        assertThat(count(url, "SELECT count(*) FROM pg_class WHERE relname LIKE '\\_shuttle%'"))
                .isZero();
        assertThat(count(url, "SELECT count(*) FROM pg_proc WHERE proname LIKE '\\_shuttle%'"))
                .isZero();
        exec(url, "INSERT INTO item VALUES (1, 'still writable')");
    }
}
