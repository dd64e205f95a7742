package io.shuttlebridge.core.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A column of a captured PostgreSQL table dropped or renamed with plain SQL: the change is refused (the
 * table keeps its captured shape until {@code shuttle schema apply --accept-destructive}), and meanwhile the
 * application's own writes to the table keep working and keep being captured (the capture trigger reads
 * no column by a name the table may have lost but its key).
 */
class RefusedColumnChangeIT {
    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
        "DROP COLUMN note, LWW",
        "DROP COLUMN note, FIELD_LWW",
        "RENAME COLUMN note TO remark, LWW",
        "RENAME COLUMN note TO remark, FIELD_LWW"
    })
    void theApplicationsWritesKeepWorkingAfterARefusedColumnChange(String change, ConflictPolicy policy) {
        try (ShuttleDatabase db = ShuttleDatabase.open(Postgres.freshDatabase())) {
            db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT, note TEXT)");
            db.execute("INSERT INTO item VALUES (1, 'one', 'n')");
            Capture.enable(
                    db, CaptureOptions.builder().policy(policy).build(), io.shuttlebridge.core.ProgressListener.NONE);

            db.execute("ALTER TABLE item " + change);
            assertThat(Capture.checkSchema(db).isSafe())
                    .as("the change is refused")
                    .isFalse();
            long before = logged(db);
            db.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            db.execute("INSERT INTO item (id, name) VALUES (2, 'two')");
            db.execute("UPDATE item SET name = 'dos' WHERE id = 2");
            db.execute("DELETE FROM item WHERE id = 2");
            assertThat(logged(db) - before).as("each write captured").isEqualTo(4);
            assertThat(db.<String>read(c -> Jdbc.queryString(c, "SELECT name FROM item WHERE id = 1")
                            .orElseThrow()))
                    .isEqualTo("uno");
        }
    }

    private static long logged(ShuttleDatabase db) {
        return db.read(
                c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_log").orElse(0L));
    }
}
