package io.shuttlebridge.core.internal.dialect.mariadb;

import static io.shuttlebridge.core.MariaDb.count;
import static io.shuttlebridge.core.MariaDb.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.feed.Feed;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fold stamps the pending column stamps of a FIELD_LWW table's writes it read, looking them up by each
 * write's row: it never waits for the stamps a program's open transaction wrote for another row. A fold that
 * scanned the column stamps waited there, holding the fold lock and the stamps it had updated, and the program
 * writing one of those next would make a deadlock (as the fold's old {@code DELETE ... IN} of the log did).
 */
class MariaDbColumnStampLocksTest {
    private final String url = MariaDb.freshDatabase();
    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    @AfterEach
    void drop() {
        thread.shutdownNow();
        MariaDb.dropDatabase(url);
    }

    @Test
    void aFoldDoesNotWaitForTheColumnStampsOfAnotherSessionsOpenTransaction() throws Exception {
        exec(
                url,
                "CREATE TABLE doc (id BIGINT PRIMARY KEY, a TEXT, b TEXT)",
                "INSERT INTO doc VALUES (1, 'a1', 'b1'), (2, 'a2', 'b2')");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder().policy(ConflictPolicy.FIELD_LWW).build(),
                    ProgressListener.NONE);
            Feed.compact(db);
            exec(url, "UPDATE doc SET b = 'b1 by x' WHERE id = 1"); // committed: its stamp of (1, b) pending
            try (Connection w = MariaDb.connect(url);
                    Statement s = w.createStatement()) {
                w.setAutoCommit(false);
                s.executeUpdate("UPDATE doc SET a = 'a2 by w' WHERE id = 2"); // open: holds its stamp of (2, a)

                Future<?> fold = thread.submit(() -> Feed.compact(db));
                fold.get(20, TimeUnit.SECONDS); // a fold waiting for w's stamp would wait 50 s, then fail

                assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock WHERE pk = '1' AND origin = -1"))
                        .as("the fold stamped the committed write's column")
                        .isZero();
                s.executeUpdate("UPDATE doc SET b = 'b1 by w' WHERE id = 1"); // the stamp the fold updated
                w.commit();
            }
            Feed.compact(db);
            assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock WHERE origin = -1"))
                    .as("every pending stamp stamped")
                    .isZero();
            assertThat(count(
                            url,
                            "SELECT count(*) FROM _shuttle_colclock c JOIN _shuttle_feed f"
                                    + " ON f.tbl = c.tbl AND f.pk = c.pk WHERE c.hlc = f.hlc"))
                    .as("the stamps of the rows' last writes are those of their feed entries")
                    .isEqualTo(2);
        }
    }

    /**
     * A fold looks up the pending column stamps of the FIELD_LWW writes it read, and no others: it never scans the
     * column stamps (one row per column of every row of such a table) to learn whether any wait. Counted as the
     * rows the server read by scanning, on the fold's own session.
     */
    @Test
    void aFoldReadsOnlyTheColumnStampsOfTheWritesItFolds() throws Exception {
        exec(
                url,
                "CREATE TABLE doc (id BIGINT PRIMARY KEY, a TEXT, b TEXT)",
                "CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)",
                "INSERT INTO doc SELECT seq, 'a', 'b' FROM seq_1_to_20000");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder()
                            .policy(ConflictPolicy.FIELD_LWW)
                            .policy("note", ConflictPolicy.LWW)
                            .build(),
                    ProgressListener.NONE);
            exec(url, "UPDATE doc SET a = 'all' WHERE id > 0"); // a stamp per row, pending until folded
            Feed.compact(db);
            assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock")).isGreaterThanOrEqualTo(20_000);

            exec(url, "INSERT INTO note VALUES (1, 'n')", "UPDATE doc SET b = 'one' WHERE id = 7");
            var dialect = io.shuttlebridge.core.internal.dialect.Dialects.forUrl(url);
            try (Connection c =
                    dialect.session(java.sql.DriverManager.getConnection(url, ShuttleDatabase.driverProperties(url)))) {
                c.setAutoCommit(false);
                long before = scanned(c);
                dialect.capture().fold(c);
                long read = scanned(c) - before;
                c.commit();
                assertThat(read).as("rows read by scans during the fold").isLessThan(1_000);
            }
            assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock WHERE origin = -1"))
                    .as("the folded write's column stamped")
                    .isZero();
        }
    }

    private static long scanned(Connection c) throws Exception {
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Handler_read_rnd_next'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
