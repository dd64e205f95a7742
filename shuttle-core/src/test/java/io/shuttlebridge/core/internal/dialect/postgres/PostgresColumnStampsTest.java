package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.count;
import static io.shuttlebridge.core.Postgres.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.feed.Feed;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The fold gives the pending column stamps of the FIELD_LWW writes it folds their stamps, looking them up by
 * each write's row: it never scans the column stamps (a row per column of every row of such a table), which a
 * hub would otherwise do on every push. Counted as the rows its transaction read by sequential scans of them.
 */
class PostgresColumnStampsTest {
    @Test
    void aFoldReadsOnlyTheColumnStampsOfTheWritesItFolds() throws Exception {
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE doc (id bigint PRIMARY KEY, a text, b text)",
                "CREATE TABLE note (id bigint PRIMARY KEY, body text)",
                "INSERT INTO doc SELECT i, 'a', 'b' FROM generate_series(1, 20000) i");
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(
                    db,
                    CaptureOptions.builder()
                            .policy(ConflictPolicy.FIELD_LWW)
                            .policy("note", ConflictPolicy.LWW)
                            .build(),
                    ProgressListener.NONE);
            exec(url, "UPDATE doc SET a = 'all'"); // a stamp per row, pending until folded
            Feed.compact(db);
            exec(url, "ANALYZE _shuttle_colclock");
            assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock")).isGreaterThanOrEqualTo(20_000);

            exec(url, "INSERT INTO note VALUES (1, 'n')", "UPDATE doc SET b = 'one' WHERE id = 7");
            try (Connection c = Postgres.connect(url);
                    Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.executeQuery("SELECT _shuttle_fold()").close();
                long scanned;
                try (ResultSet rs = s.executeQuery("SELECT coalesce(seq_tup_read, 0) FROM pg_stat_xact_user_tables"
                        + " WHERE relname = '_shuttle_colclock'")) {
                    scanned = rs.next() ? rs.getLong(1) : 0;
                }
                c.commit();
                assertThat(scanned)
                        .as("column stamps read by sequential scans during the fold")
                        .isLessThan(1_000);
            }
            assertThat(count(url, "SELECT count(*) FROM _shuttle_colclock WHERE origin = -1"))
                    .as("the folded write's column stamped")
                    .isZero();
        }
    }
}
