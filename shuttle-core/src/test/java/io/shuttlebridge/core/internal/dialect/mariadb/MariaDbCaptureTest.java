package io.shuttlebridge.core.internal.dialect.mariadb;

import static io.shuttlebridge.core.MariaDb.count;
import static io.shuttlebridge.core.MariaDb.exec;
import static io.shuttlebridge.core.MariaDb.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Capture on a real MariaDB, with writes made by plain JDBC connections as the mariadb client would make them. */
class MariaDbCaptureTest {
    private final String url = MariaDb.freshDatabase();

    @AfterEach
    void drop() {
        MariaDb.dropDatabase(url);
    }

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
    void theDialectIsChosenByUrl() {
        assertThat(Dialects.forUrl("jdbc:mariadb://localhost/x").name()).isEqualTo("mariadb");
        assertThat(Dialects.forUrl("jdbc:mysql://localhost/x").name()).isEqualTo("mariadb");
        assertThat(Dialects.forUrl("jdbc:mysql://localhost/x").driverUrl("jdbc:mysql://localhost/x"))
                .isEqualTo("jdbc:mysql://localhost/x?permitMysqlScheme");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            assertThat(db.product()).isEqualTo("mariadb");
        }
    }

    @Test
    void plainSqlWritesAreCapturedOneEntryPerRowWithIncreasingStamps() {
        exec(
                url,
                "CREATE TABLE item (id bigint PRIMARY KEY, name text, qty int)",
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
            assertThat(((Number) one.get("version")).longValue()).isEqualTo(3L);
            assertThat(((Number) one.get("op")).intValue()).isEqualTo(1);
            assertThat(((Number) feed.get(2).get("op")).intValue()).isEqualTo(2);
            assertThat(feed)
                    .extracting(r -> ((Number) r.get("hlc")).longValue())
                    .isSorted()
                    .doesNotHaveDuplicates();

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
        exec(
                url,
                "CREATE TABLE note (id bigint PRIMARY KEY, body varchar(20), meta json, updated_at timestamp(6) NULL)");
        try (ShuttleDatabase db = enable(
                CaptureOptions.builder().excludeColumn("note", "updated_at").build())) {
            exec(url, "INSERT INTO note VALUES (1, 'a', '{\"x\": 1}', now())");
            List<Map<String, Object>> before = feed(db);
            exec(
                    url,
                    "UPDATE note SET updated_at = now() + interval 1 day WHERE id = 1",
                    "UPDATE note SET body = 'a', meta = '{\"x\": 1}'");
            assertThat(feed(db)).isEqualTo(before);
            // a case-insensitive collation takes 'A' for 'a': the change is captured all the same
            exec(url, "UPDATE note SET body = 'A'");
            assertThat(((Number) feed(db).get(0).get("version")).longValue()).isEqualTo(2L);
            exec(url, "UPDATE note SET body = 'A '");
            assertThat(((Number) feed(db).get(0).get("version")).longValue()).isEqualTo(3L);
            exec(url, "UPDATE note SET meta = '{\"x\": 2}'");
            assertThat(((Number) feed(db).get(0).get("version")).longValue()).isEqualTo(4L);
            assertThat(count(url, "SELECT count(*) FROM _shuttle_log")).isZero();
        }
    }

    @Test
    void compositeTextBinaryAndHostileNamesKeepExactKeys() {
        exec(
                url,
                "CREATE TABLE `Order Line``s; --\"` (`select` varchar(100), `n°` bigint, `b``lob` varbinary(16),"
                        + " `from` char(36), `ä value` text, PRIMARY KEY (`select`, `n°`, `b``lob`, `from`))");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            exec(
                    url,
                    "INSERT INTO `Order Line``s; --\"` VALUES ('it''s, \"quoted\" [1] \\\\ \u00e9\ud83d\ude00', -9223372036854775808,"
                            + " x'00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'v')");
            FeedEntry e = read(db).get(0);
            List<Object> key = e.change().key();
            assertThat(key.get(0)).isEqualTo("it's, \"quoted\" [1] \\ \u00e9\ud83d\ude00");
            assertThat(key.get(1)).isEqualTo(Long.MIN_VALUE);
            assertThat((byte[]) key.get(2)).containsExactly(0, 0xff);
            assertThat(key.get(3)).isEqualTo("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
            assertThat(e.change().values()).containsEntry("ä value", "v");

            // a key change is a delete of the old key (its tombstone) and an upsert of the new one
            exec(url, "UPDATE `Order Line``s; --\"` SET `n°` = 5");
            List<FeedEntry> after = read(db);
            assertThat(after).extracting(x -> x.change().op()).containsExactly(Op.DELETE, Op.UPSERT);
            assertThat(after.get(1).change().key().get(1)).isEqualTo(5L);
        }
    }

    @Test
    void textKeysDifferingInCaseOrTrailingSpacesAreDifferentRows() {
        exec(url, "CREATE TABLE tag (name varchar(20) COLLATE utf8mb4_bin PRIMARY KEY, n int)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            exec(url, "INSERT INTO tag VALUES ('a', 1), ('A', 2)");
            assertThat(read(db)).extracting(x -> x.change().key()).containsExactly(List.of("a"), List.of("A"));
        }
    }

    @Test
    void appliedChangesAreNotEchoedButKeepOriginAndHlcWhileOtherSessionsAreCaptured() {
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
                exec(url, "INSERT INTO item VALUES (8, 'client')");
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
    void aFailedApplyLeavesTheConnectionCapturing() {
        exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, name text)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            try {
                db.transaction(c -> {
                    ChangeWriter w = new ChangeWriter(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)));
                    w.begin(c);
                    throw new IllegalStateException("the apply fails");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            db.execute("INSERT INTO item VALUES (1, 'local')");
            assertThat(read(db)).extracting(x -> x.change().key()).containsExactly(List.of(1L));
        }
    }

    @Test
    void fieldLwwTablesStampChangedColumns() {
        exec(url, "CREATE TABLE doc (id int PRIMARY KEY, a text, b text)");
        try (ShuttleDatabase db = enable(
                CaptureOptions.builder().policy("doc", ConflictPolicy.FIELD_LWW).build())) {
            exec(url, "INSERT INTO doc VALUES (1, 'x', 'y')", "UPDATE doc SET b = 'z'");
            Feed.compact(db);
            List<Map<String, Object>> stamps =
                    query(url, "SELECT col, hlc, origin FROM _shuttle_colclock ORDER BY col");
            assertThat(stamps).extracting(r -> r.get("col")).containsExactly("a", "b");
            assertThat(stamps)
                    .allSatisfy(r ->
                            assertThat(((Number) r.get("origin")).intValue()).isZero());
            long a = ((Number) stamps.get(0).get("hlc")).longValue();
            long b = ((Number) stamps.get(1).get("hlc")).longValue();
            assertThat(b).isGreaterThan(a);
        }
    }

    @Test
    void removeTakesEveryObjectAway() {
        exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, name text)");
        try (ShuttleDatabase db = enable(CaptureOptions.allTables())) {
            assertThat(count(url, "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = database()"))
                    .isEqualTo(3);
            Capture.remove(db);
        }
        assertThat(count(
                        url,
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"
                                + " AND table_name LIKE '\\_shuttle%'"))
                .isZero();
        assertThat(count(url, "SELECT count(*) FROM information_schema.triggers WHERE trigger_schema = database()"))
                .isZero();
        exec(url, "INSERT INTO item VALUES (1, 'still writable')");
    }
}
