package io.shuttlebridge.core.internal.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table's qualifying rows read in key order a stretch at a time come out exactly once each, with
 * their feed entries, whatever the page size and the span the scan starts with: one-column integer
 * and text keys and a composite key, on SQLite and on PostgreSQL (whose spans are read as derived tables
 * and planned for each range's values).
 */
class TableRowsTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, page {1}")
    @CsvSource({
        "sqlite, 1",
        "sqlite, 3",
        "sqlite, 7",
        "sqlite, 50",
        "sqlite, 1000",
        "postgres, 1",
        "postgres, 7",
        "postgres, 1000"
    })
    void readsEveryQualifyingRowOnceInKeyOrder(String kind, int page) {
        try (ShuttleDatabase db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("t.db"))
                : ShuttleDatabase.open(Postgres.freshDatabase())) {
            db.execute("CREATE TABLE n (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, v INTEGER)");
            db.execute("CREATE TABLE s (code TEXT PRIMARY KEY, owner TEXT NOT NULL)");
            db.execute("CREATE TABLE c (a INTEGER NOT NULL, b TEXT NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (a, b))");
            Random random = new Random(42);
            List<String> n = new ArrayList<>();
            List<String> s = new ArrayList<>();
            List<String> c = new ArrayList<>();
            for (int i = 1; i <= 300; i++) {
                String owner = random.nextInt(5) == 0 ? "alice" : "bob"; // about a fifth, unevenly spread
                db.execute("INSERT INTO n VALUES (" + (i * 3) + ", '" + owner + "', " + i + ")");
                db.execute("INSERT INTO s VALUES ('k" + (1000 + i) + "', '" + owner + "')");
                db.execute("INSERT INTO c VALUES (" + (i % 7) + ", 'x" + (1000 + i) + "', '" + owner + "')");
                if (owner.equals("alice")) {
                    n.add(String.valueOf(i * 3));
                    s.add("k" + (1000 + i));
                    c.add((i % 7) + "|x" + (1000 + i));
                }
            }
            Capture.enable(db);
            db.execute("INSERT INTO n VALUES (2000, 'alice', 0)"); // captured, not folded yet: read folds first
            n.add("2000");
            c.sort((x, y) -> {
                int ax = Integer.parseInt(x.substring(0, x.indexOf('|')));
                int ay = Integer.parseInt(y.substring(0, y.indexOf('|')));
                return ax != ay ? Integer.compare(ax, ay) : x.compareTo(y);
            });
            RowCondition alice = new RowCondition("owner = ?", List.of("alice"));

            assertThat(keys(readAll(db, "n", alice, page))).containsExactlyElementsOf(n);
            assertThat(keys(readAll(db, "s", alice, page))).containsExactlyElementsOf(s);
            assertThat(keys(readAll(db, "c", alice, page))).containsExactlyElementsOf(c);
            assertThat(readAll(db, "n", RowCondition.ALL, page)).hasSize(301);
            assertThat(readAll(db, "n", new RowCondition("owner = ?", List.of("nobody")), page))
                    .isEmpty();
            List<Change> rows = readAll(db, "n", alice, page);
            assertThat(rows.getLast().values()).containsEntry("v", 0L).containsEntry("owner", "alice");
            assertThat(rows).allMatch(ch -> ch.version() == 1 && !ch.origin().isEmpty());
        }
    }

    @ParameterizedTest(name = "page {0}")
    @ValueSource(ints = {1, 4, 10, 1000})
    void aConditionNamingItsTableReadsTheTablesColumns(int page) {
        // a stretch is read as a span of the table that keeps the table's name: a condition qualifying the
        // table's columns, or a sub-select correlated with them, reads them as it would on the table
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("t.db"))) {
            db.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, project INTEGER NOT NULL)");
            db.execute("CREATE TABLE member (project INTEGER NOT NULL, sub TEXT NOT NULL, PRIMARY KEY (project, sub))");
            List<String> readable = new ArrayList<>();
            for (int i = 1; i <= 120; i++) {
                db.execute("INSERT INTO doc VALUES (" + i + ", " + (i % 12) + ")");
                if (i % 12 == 5 || i % 12 == 7) {
                    readable.add(String.valueOf(i));
                }
            }
            db.execute("INSERT INTO member VALUES (5, 'ann'), (7, 'ann'), (6, 'bob')");
            Capture.enable(db);

            RowCondition correlated = new RowCondition(
                    "EXISTS (SELECT 1 FROM member m WHERE m.project = doc.project AND m.sub = ?)", List.of("ann"));
            RowCondition qualified = new RowCondition(
                    "doc.project IN (SELECT project FROM member WHERE sub = ?) AND doc.id > ?", List.of("ann", 0));

            assertThat(keys(readAll(db, "doc", correlated, page))).containsExactlyElementsOf(readable);
            assertThat(keys(readAll(db, "doc", qualified, page))).containsExactlyElementsOf(readable);
        }
    }

    @Test
    void theSpanFollowsTheShareOfRowsThatQualified() {
        assertThat(TableRows.nextSpan(100, 10, 90, 100))
                .isEqualTo(1125); // a tenth qualified: ten times wider, and some
        assertThat(TableRows.nextSpan(100, 0, 100, 100)).isEqualTo(400); // none did: four times wider
        assertThat(TableRows.nextSpan(100_000, 0, 100, 100)).isEqualTo(3200); // never more than 32 pages
        assertThat(TableRows.nextSpan(1000, 1000, 1, 100)).isEqualTo(100); // never less than a page
    }

    @Test
    void aSpanFittedToOnePageSizeIsMadeAsWideForAnother() {
        // a clone's first page of 1,000 rows left a span of 12,500 keys: a page of 10,000 starts ten times wider
        assertThat(TableRows.rescaled(12_500, 1000, 10_000)).isEqualTo(125_000);
        assertThat(TableRows.rescaled(125_000, 10_000, 1000)).isEqualTo(12_500);
        assertThat(TableRows.rescaled(12_500, 0, 10_000)).isEqualTo(12_500); // not known: as it was
        assertThat(TableRows.rescaled(12_500, 10_000, 10_000)).isEqualTo(12_500);
        assertThat(TableRows.rescaled(300_000, 10_000, 20_000)).isEqualTo(600_000); // within 32 pages
        assertThat(TableRows.rescaled(320_000, 1000, 10_000)).isEqualTo(320_000); // never more than 32 pages
        assertThat(TableRows.rescaled(1000, 1000, 100)).isEqualTo(100); // never less than a page
    }

    /** Reads the whole table {@code page} rows at a time, the span starting at 1. */
    private static List<Change> readAll(ShuttleDatabase db, String table, RowCondition condition, int page) {
        return db.transaction(c -> {
            Dialects.of(db).capture().fold(c);
            SyncedTable t = SyncSchema.load(c, Dialects.of(db)).require(table);
            TableRows rows = new TableRows(Dialects.of(db));
            List<Change> out = new ArrayList<>();
            Object after = null;
            int span = 1;
            while (true) {
                TableRows.Stretch s = rows.read(c, t, condition, after, page, span);
                assertThat(s.entries()).hasSizeLessThanOrEqualTo(page);
                out.addAll(s.entries().stream().map(FeedEntry::change).toList());
                if (s.exhausted()) {
                    return out;
                }
                assertThat(s.entries()).hasSize(page);
                after = s.after();
                span = s.span();
            }
        });
    }

    private static List<String> keys(List<Change> changes) {
        return changes.stream()
                .map(ch ->
                        String.join("|", ch.key().stream().map(String::valueOf).toList()))
                .toList();
    }
}
