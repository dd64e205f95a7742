package io.shuttlebridge.core.internal.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep after a snapshot removes the rows the hub had that the snapshot did not carry, and only
 * those, and looks what the snapshot carried up by key (an index on what it noted), so that a
 * snapshot of a large table is swept in one pass over its entries.
 */
class ResyncSweepTest {
    @TempDir
    Path dir;

    @Test
    void rowsTheSnapshotDidNotCarryAreRemovedAndTheRestStay() {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
            db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            Capture.enable(db);
            db.transaction(c -> {
                for (int i = 1; i <= 2000; i++) {
                    Jdbc.update(c, "INSERT INTO t VALUES (?, 'x')", i);
                }
                return null;
            });
            long pushed = db.transaction(c -> {
                Dialects.of(db).capture().fold(c);
                return Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed")
                        .orElse(0L); // all pushed: the hub had them
            });
            SyncSchema schema = db.read(c -> SyncSchema.load(c, Dialects.of(db)));
            List<Change> carried = new ArrayList<>();
            for (long i = 1; i <= 2000; i += 2) {
                carried.add(
                        new Change("t", List.of(i), Op.UPSERT, Map.of("id", i, "v", "x"), 1, "hub", 1, 0, Map.of()));
            }
            db.transaction(c -> {
                ResyncSweep.begin(c);
                ResyncSweep.seen(c, Dialects.of(db), schema, carried);
                assertThat(Jdbc.queryLong(
                                        c,
                                        "SELECT count(*) FROM sqlite_schema WHERE type = 'index'"
                                                + " AND tbl_name = '_shuttle_resync'")
                                .orElse(0L))
                        .isEqualTo(1);
                assertThat(ResyncSweep.sweep(c, Dialects.of(db), schema, null, pushed))
                        .isEmpty();
                return null;
            });
            long left = db.read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM t").orElse(0L));
            long even = db.read(c ->
                    Jdbc.queryLong(c, "SELECT count(*) FROM t WHERE id % 2 = 0").orElse(0L));
            assertThat(left).isEqualTo(1000);
            assertThat(even).isZero();
        }
    }
}
