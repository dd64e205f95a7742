package io.shuttlebridge.core.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On a SQLite or MariaDB database, what ended long ago is forgotten; what is open, or ended lately, is kept. */
class MetadataRetentionTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "on {0}")
    @ValueSource(strings = {"sqlite", "mariadb"})
    void oldSettledRecordsAreForgottenOpenAndRecentOnesKept(String kind) {
        try (ShuttleDatabase db = kind.equals("sqlite")
                ? ShuttleDatabase.sqlite(dir.resolve("db.db"))
                : ShuttleDatabase.open(MariaDb.freshDatabase())) {
            db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY)");
            Capture.enable(db);
            String old = Instant.now().minus(Duration.ofDays(40)).toString();
            String lately = Instant.now().minus(Duration.ofDays(2)).toString();
            String conflict = "INSERT INTO _shuttle_conflicts (tbl, key_json, policy, detected_at, status, resolved_at)"
                    + " VALUES ('note', '[1]', 'MANUAL', ?, ?, ?)";
            db.execute(conflict, old, "resolved", old);
            db.execute(conflict, old, "resolved", lately);
            db.execute(conflict, old, "open", null);
            boolean bundles = kind.equals("sqlite"); // bundles are imported into SQLite devices only
            if (bundles) {
                db.execute("INSERT INTO _shuttle_bundles VALUES ('b-old', 'n', ?, 1, 0)", old);
                db.execute("INSERT INTO _shuttle_bundles VALUES ('b-new', 'n', ?, 1, 0)", lately);
            }
            db.execute("INSERT INTO _shuttle_restamps VALUES ('n', 1, 2, ?)", old);

            var pruned = SyncEngine.open(db).pruneHistory(Duration.ofDays(30));

            assertThat(pruned).containsEntry("_shuttle_conflicts", 1).containsEntry("_shuttle_restamps", 1);
            if (bundles) {
                assertThat(pruned).containsEntry("_shuttle_bundles", 1);
                assertThat(count(db, "SELECT count(*) FROM _shuttle_bundles")).isEqualTo(1);
            } else {
                assertThat(pruned).doesNotContainKey("_shuttle_bundles");
            }
            assertThat(count(db, "SELECT count(*) FROM _shuttle_conflicts")).isEqualTo(2);
            assertThat(count(db, "SELECT count(*) FROM _shuttle_conflicts WHERE status = 'open'"))
                    .isEqualTo(1);
            assertThat(SyncEngine.open(db).pruneHistory(Duration.ofDays(30))).isEmpty();
        }
    }

    private static long count(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
