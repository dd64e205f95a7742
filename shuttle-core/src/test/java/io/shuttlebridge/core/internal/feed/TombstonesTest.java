package io.shuttlebridge.core.internal.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tombstones of some tables, read a page at a time from what the feed held when they were first
 * read and what it gained since, are exactly the feed's delete entries of those tables up to the
 * horizon, in seq order: a row written again after its delete no longer has one, a later delete does,
 * another table's never come.
 */
class TombstonesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "page {0}")
    @ValueSource(ints = {1, 3, 7, 100})
    void pagesHoldTheDeleteEntriesOfTheTablesUpToTheHorizon(int page) {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("t.db"))) {
            db.execute("CREATE TABLE n (id INTEGER PRIMARY KEY, v TEXT)");
            db.execute("CREATE TABLE m (id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 1; i <= 40; i++) {
                db.execute("INSERT INTO n VALUES (?, 'x')", i);
                db.execute("INSERT INTO m VALUES (?, 'x')", i);
            }
            Capture.enable(db);
            db.execute("DELETE FROM n WHERE id % 3 = 0");
            db.execute("DELETE FROM m WHERE id % 4 = 0");
            db.execute("UPDATE n SET v = 'y' WHERE id % 5 = 0");
            Tombstones tombstones = db.read(c -> new Tombstones(Dialects.of(db), schema(db)));
            int n = db.read(c -> schema(db).require("n").id());

            assertThat(read(db, tombstones, n, page, top(db))).isEqualTo(direct(db, n, top(db)));
            assertThat(read(db, tombstones, n, page, top(db))).hasSize(13);

            // a deleted row written again leaves no tombstone; a later delete adds one; a horizon below it
            // leaves it out
            long before = top(db);
            db.execute("INSERT INTO n VALUES (6, 'back')");
            db.execute("DELETE FROM n WHERE id = 7");
            assertThat(read(db, tombstones, n, page, top(db)))
                    .isEqualTo(direct(db, n, top(db)))
                    .doesNotContain(6L)
                    .endsWith(7L)
                    .hasSize(13);
            assertThat(read(db, tombstones, n, page, before)).isEqualTo(direct(db, n, before));
        }
    }

    private static SyncSchema schema(ShuttleDatabase db) {
        return db.read(c -> SyncSchema.load(c, Dialects.of(db)));
    }

    /** The feed's highest seq, the capture log folded in first. */
    private static long top(ShuttleDatabase db) {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed").orElse(0L);
        });
    }

    /** Keys of the tombstones of table {@code tbl} up to {@code horizon}, read {@code page} at a time. */
    private static List<Long> read(ShuttleDatabase db, Tombstones tombstones, int tbl, int page, long horizon) {
        return db.read(c -> {
            List<Long> out = new ArrayList<>();
            long after = 0;
            for (int pages = 0; ; pages++) {
                assertThat(pages).isLessThan(100);
                FeedReader.Page p = tombstones.read(c, Set.of(tbl), after, horizon, page);
                assertThat(p.entries()).hasSizeLessThanOrEqualTo(page);
                for (FeedEntry e : p.entries()) {
                    assertThat(e.seq()).isGreaterThan(after).isLessThanOrEqualTo(horizon);
                    out.add((Long) e.change().key().get(0));
                }
                if (!p.more()) {
                    return out;
                }
                after = p.lastSeq();
            }
        });
    }

    /** The same, straight from the feed. */
    private static List<Long> direct(ShuttleDatabase db, int tbl, long horizon) {
        return db.read(c -> {
            List<Long> out = new ArrayList<>();
            try (var ps = c.prepareStatement(
                    "SELECT pk FROM _shuttle_feed WHERE tbl = ? AND op = 2 AND seq <= ? ORDER BY seq")) {
                ps.setInt(1, tbl);
                ps.setLong(2, horizon);
                try (var rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        });
    }
}
