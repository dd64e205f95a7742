package io.shuttlebridge.core.capture;

import static io.shuttlebridge.core.SqliteFiles.count;
import static io.shuttlebridge.core.SqliteFiles.exec;
import static io.shuttlebridge.core.SqliteFiles.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.feed.Feed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
    @TempDir
    Path dir;

    private Path db(String... ddl) {
        Path f = dir.resolve("app.db");
        exec(f, ddl);
        return f;
    }

    private static Capture.EnableResult enable(Path f, CaptureOptions options) {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            return Capture.enable(db, options, ProgressListener.NONE);
        }
    }

    /** Folds the capture log like the engine does before it reads, then shows the feed. */
    static void fold(Path f) {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Feed.compact(db);
        }
    }

    private static List<Map<String, Object>> feed(Path f) {
        fold(f);
        return query(f, "SELECT tbl, pk, seq, op, hlc, origin, version, base FROM _shuttle_feed ORDER BY seq");
    }

    @Test
    void plainSqlWritesFromAnotherConnectionAreCapturedOneEntryPerRow() {
        Path f = db("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, qty INTEGER)");
        enable(f, CaptureOptions.allTables());

        exec(f, "INSERT INTO item VALUES (1, 'pen', 3)", "INSERT INTO item VALUES (2, 'ink', 1)");
        exec(f, "UPDATE item SET qty = 4 WHERE id = 1", "UPDATE item SET qty = 5 WHERE id = 1");
        exec(f, "DELETE FROM item WHERE id = 2");

        List<Map<String, Object>> feed = feed(f);
        assertThat(feed).hasSize(2);
        Map<String, Object> one =
                feed.stream().filter(r -> r.get("pk").equals(1L)).findFirst().orElseThrow();
        Map<String, Object> two =
                feed.stream().filter(r -> r.get("pk").equals(2L)).findFirst().orElseThrow();
        assertThat(one).containsEntry("op", 1L).containsEntry("version", 3L).containsEntry("origin", 0L);
        assertThat(two).containsEntry("op", 2L).containsEntry("version", 2L); // tombstone
        assertThat((Long) two.get("seq")).isGreaterThan((Long) one.get("seq"));
        assertThat((Long) two.get("hlc")).isGreaterThan((Long) one.get("hlc"));
        assertThat(count(f, "SELECT max(seq) FROM _shuttle_feed")).isEqualTo(5); // five writes, five ticks
    }

    @Test
    void noOpAndExcludedColumnUpdatesAreNotCapturedButSoftDeleteIs() {
        Path f = db("CREATE TABLE doc (id INTEGER PRIMARY KEY, title TEXT, updated_at TEXT, deleted_at TEXT)");
        enable(f, CaptureOptions.builder().excludeColumn("doc.updated_at").build());
        exec(f, "INSERT INTO doc (id, title) VALUES (1, 'a')");
        fold(f);
        long seq = count(f, "SELECT seq FROM _shuttle_feed");

        exec(f, "UPDATE doc SET title = 'a' WHERE id = 1"); // same value
        exec(f, "UPDATE doc SET updated_at = '2026-01-01' WHERE id = 1"); // excluded column only
        exec(f, "UPDATE doc SET title = title, updated_at = '2026-01-02' WHERE id = 1");
        fold(f);
        assertThat(count(f, "SELECT seq FROM _shuttle_feed")).isEqualTo(seq);
        assertThat(count(f, "SELECT version FROM _shuttle_feed")).isEqualTo(1);

        exec(f, "UPDATE doc SET deleted_at = '2026-01-03' WHERE id = 1"); // soft delete counts
        fold(f);
        assertThat(count(f, "SELECT version FROM _shuttle_feed")).isEqualTo(2);
        exec(f, "UPDATE doc SET title = NULL WHERE id = 1"); // value to NULL counts too
        fold(f);
        assertThat(count(f, "SELECT version FROM _shuttle_feed")).isEqualTo(3);
    }

    @Test
    void primaryKeyChangeLeavesTombstoneForOldKey() {
        Path f = db("CREATE TABLE tag (code TEXT PRIMARY KEY, label TEXT)");
        enable(f, CaptureOptions.allTables());
        exec(f, "INSERT INTO tag VALUES ('a', 'A')", "UPDATE tag SET code = 'b' WHERE code = 'a'");
        fold(f);
        assertThat(query(f, "SELECT pk, op FROM _shuttle_feed ORDER BY pk"))
                .containsExactly(Map.of("pk", "a", "op", 2L), Map.of("pk", "b", "op", 1L));
    }

    @Test
    void compositeKeysAreCaptured() {
        Path f = db("CREATE TABLE pt (p INTEGER, t BLOB, pos INTEGER, PRIMARY KEY (p, t))");
        enable(f, CaptureOptions.allTables());
        exec(
                f,
                "INSERT INTO pt VALUES (1, x'00ff', 1)",
                "INSERT INTO pt VALUES (1, x'01', 2)",
                "UPDATE pt SET pos = 3 WHERE p = 1 AND t = x'00ff'");
        fold(f);
        assertThat(query(f, "SELECT pk, version FROM _shuttle_feed ORDER BY pk"))
                .containsExactly(Map.of("pk", "1,X'00FF'", "version", 2L), Map.of("pk", "1,X'01'", "version", 1L));
    }

    @Test
    void backfillsLargeTableWithProgressAndReinitIsHarmless() {
        Path f = db(
                "CREATE TABLE big (id INTEGER PRIMARY KEY, v TEXT)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) INSERT INTO big SELECT i, 'row ' || i FROM n");
        List<long[]> progress = new ArrayList<>();
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.EnableResult r = Capture.enable(
                    db, CaptureOptions.allTables(), (task, done, total) -> progress.add(new long[] {done, total}));
            assertThat(r.backfilled()).containsEntry("big", 100_000L);
        }
        assertThat(progress.size()).isGreaterThanOrEqualTo(3);
        assertThat(progress.get(progress.size() - 1)).containsExactly(100_000L, 100_000L);
        assertThat(count(f, "SELECT count(*) FROM _shuttle_feed")).isEqualTo(100_000);
        assertThat(count(f, "SELECT count(DISTINCT seq) FROM _shuttle_feed")).isEqualTo(100_000);
        assertThat(count(f, "SELECT count(DISTINCT hlc) FROM _shuttle_feed")).isEqualTo(100_000);
        assertThat(count(f, "SELECT max(seq) FROM _shuttle_log")).isEqualTo(100_000);
        List<Map<String, Object>> before =
                query(f, "SELECT pk, seq, hlc FROM _shuttle_feed WHERE pk IN (1, 50000, 100000) ORDER BY pk");

        Capture.EnableResult again = enable(f, CaptureOptions.allTables());
        assertThat(again.backfilled()).containsEntry("big", 0L);
        assertThat(query(f, "SELECT pk, seq, hlc FROM _shuttle_feed WHERE pk IN (1, 50000, 100000) ORDER BY pk"))
                .isEqualTo(before);
        assertThat(count(f, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"))
                .isEqualTo(4);

        exec(f, "INSERT INTO big VALUES (100001, 'new')");
        fold(f);
        assertThat(count(f, "SELECT seq FROM _shuttle_feed WHERE pk = 100001")).isEqualTo(100_001);
    }

    @Test
    void removalTakesEveryObjectAwayAndKeepsData() {
        Path f = db("CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT)", "INSERT INTO a VALUES (1, 'one')");
        enable(f, CaptureOptions.builder().policy(ConflictPolicy.FIELD_LWW).build());
        exec(f, "INSERT INTO a VALUES (2, 'two')");
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.remove(db);
        }
        assertThat(query(f, "SELECT name FROM sqlite_schema WHERE name LIKE '%shuttle%'"))
                .isEmpty();
        assertThat(count(f, "SELECT count(*) FROM a")).isEqualTo(2);
        exec(f, "INSERT INTO a VALUES (3, 'three')"); // writes still work with no trigger left
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(f)) {
            Capture.remove(db); // twice is harmless
        }
    }

    @Test
    void refusesBadInputBeforeTouchingAnything() {
        Path f = db("CREATE TABLE ok (id INTEGER PRIMARY KEY, c TEXT)", "CREATE TABLE nokey (a TEXT)");
        assertThatThrownBy(() -> enable(f, CaptureOptions.allTables()))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("\"nokey\" has no primary key")
                .satisfies(e -> assertThat(((ShuttleException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA));
        assertThat(query(f, "SELECT name FROM sqlite_schema WHERE name LIKE '_shuttle%'"))
                .isEmpty();

        assertThatThrownBy(() -> enable(
                        f, CaptureOptions.builder().tables("ok", "missing").build()))
                .hasMessageContaining("table \"missing\" does not exist");
        assertThatThrownBy(() -> enable(
                        f,
                        CaptureOptions.builder()
                                .tables("ok")
                                .excludeColumn("ok.nope")
                                .build()))
                .hasMessageContaining("excluded column \"nope\" does not exist in table \"ok\"");
        assertThatThrownBy(() -> enable(
                        f,
                        CaptureOptions.builder()
                                .tables("ok")
                                .excludeColumn("ok.id")
                                .build()))
                .hasMessageContaining("part of the primary key");
        assertThat(query(f, "SELECT name FROM sqlite_schema WHERE name LIKE '_shuttle%'"))
                .isEmpty();
    }

    @Test
    void fieldLwwTablesStampEachChangedColumn() {
        Path f = db("CREATE TABLE p (id INTEGER PRIMARY KEY, a TEXT, b TEXT)");
        enable(f, CaptureOptions.builder().policy(ConflictPolicy.FIELD_LWW).build());
        exec(f, "INSERT INTO p VALUES (1, 'a', 'b')");
        long aBefore = count(f, "SELECT hlc FROM _shuttle_colclock WHERE col = 'a'");
        exec(f, "UPDATE p SET b = 'B' WHERE id = 1");
        assertThat(count(f, "SELECT hlc FROM _shuttle_colclock WHERE col = 'a'"))
                .isEqualTo(aBefore);
        assertThat(count(f, "SELECT hlc FROM _shuttle_colclock WHERE col = 'b'"))
                .isGreaterThan(aBefore);
    }
}
