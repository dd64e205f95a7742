package io.shuttlebridge.core.internal.dialect.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.feed.Feed;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device's fold finds the column stamps waiting for it through their index, not by a scan of every row's
 * column stamps, which it would otherwise do on every local write it folds; and it stamps them.
 */
class SqliteColumnStampsTest {
    @TempDir
    Path dir;

    @Test
    void theFoldFindsTheWaitingColumnStampsThroughTheirIndex() {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
            db.execute("CREATE TABLE doc (id INTEGER PRIMARY KEY, a TEXT, b TEXT)");
            db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                    + " INSERT INTO doc SELECT i, 'a', 'b' FROM n");
            Capture.enable(
                    db,
                    CaptureOptions.builder().policy(ConflictPolicy.FIELD_LWW).build(),
                    ProgressListener.NONE);
            db.execute("UPDATE doc SET a = 'all'");
            Feed.compact(db);
            db.execute("UPDATE doc SET b = 'one' WHERE id = 7");

            List<String> plan = db.read(c -> {
                List<String> out = new ArrayList<>();
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN "
                                + SqliteFold.COLUMN_STAMPS.replace("temp._shuttle_stamps", "_shuttle_log"))) {
                    while (rs.next()) {
                        out.add(rs.getString("detail"));
                    }
                }
                return out;
            });
            assertThat(plan).anySatisfy(step -> assertThat(step).contains("_shuttle_colclock_pending"));
            assertThat(plan).noneSatisfy(step -> assertThat(step).isEqualTo("SCAN _shuttle_colclock"));

            Feed.compact(db);
            assertThat(db.<Long>read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_colclock WHERE origin = -1")
                            .orElseThrow()))
                    .as("every waiting stamp stamped")
                    .isZero();
        }
    }
}
