package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.id.MillisClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device forgets, once a day at the end of a sync, the tombstones its hub acknowledged longer ago than its
 * keeping time (LWW and FIELD_LWW tables only) and the records of what ended as long ago, so that its
 * {@code _shuttle_} tables do not grow with every delete it ever saw (found by the 30-day soak: a device's
 * feed kept every tombstone for ever). Unpushed deletes, tables under version-based policies and
 * everything younger stay. A retired device's ticket record goes from the hub.
 */
class DeviceRetentionTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)",
        "CREATE TABLE strict (id INTEGER PRIMARY KEY, body TEXT)"
    };

    @TempDir
    Path dir;

    /** The engines' clock, from the real time on (SQLite's 'now' stamps local writes), moved by the test. */
    private final AtomicLong now = new AtomicLong(System.currentTimeMillis());

    private final MillisClock clock = now::get;

    private ShuttleDatabase open(String name) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        Capture.enable(
                db,
                CaptureOptions.builder()
                        .policy("strict", ConflictPolicy.VERSION_STRICT)
                        .build(),
                ProgressListener.NONE);
        return db;
    }

    private void advance(Duration d) {
        now.addAndGet(d.toMillis());
    }

    @Test
    void aDeviceForgetsAcknowledgedTombstonesAndEndedRecordsOnceTheyAreOld() {
        try (ShuttleDatabase hubDb = open("hub");
                ShuttleDatabase device = open("device")) {
            SyncEngine hub = SyncEngine.builder(hubDb).clock(clock).build();
            SyncEngine engine = SyncEngine.builder(device)
                    .clock(clock)
                    .keepHistory(Duration.ofDays(7))
                    .build();
            InProcessTransport t = new InProcessTransport(hub);
            for (int i = 1; i <= 4; i++) {
                device.execute("INSERT INTO note VALUES (?, 'n')", i);
                device.execute("INSERT INTO strict VALUES (?, 's')", i);
            }
            engine.pullThenPush(t);
            device.execute("DELETE FROM note WHERE id IN (1, 2)");
            device.execute("DELETE FROM strict WHERE id = 1");
            engine.pullThenPush(t);
            hubDb.execute("DELETE FROM note WHERE id = 3"); // a delete that comes from the hub
            engine.pullThenPush(t);
            assertThat(tombstones(device)).isEqualTo(4);

            advance(Duration.ofDays(8));
            hubDb.execute("INSERT INTO note VALUES (5, 'day 8')");
            engine.pullThenPush(t); // applying moves the device's clock position to the engine's clock
            device.execute("DELETE FROM note WHERE id = 4"); // 8 days after the others
            advance(Duration.ofDays(2));
            engine.pullThenPush(t);
            // ten days on, the deletes of day 0 (pushed from here, or from the hub) go; the one of day 8 and the
            // VERSION_STRICT table's stay
            assertThat(tombstones(device)).isEqualTo(2);
            assertThat(SqliteFiles.count(
                            dir.resolve("device.db"),
                            "SELECT count(*) FROM _shuttle_feed f JOIN _shuttle_tables t ON t.id = f.tbl"
                                    + " WHERE f.op = 2 AND t.name = 'strict'"))
                    .isEqualTo(1);

            // the rows stay as they are, and a later write of a forgotten row applies
            hubDb.execute("INSERT INTO note VALUES (1, 'again')");
            engine.pullThenPush(t);
            assertThat(SqliteFiles.count(dir.resolve("device.db"), "SELECT count(*) FROM note WHERE id = 1"))
                    .isEqualTo(1);
            assertThat(SqliteFiles.count(dir.resolve("device.db"), "SELECT count(*) FROM note"))
                    .isEqualTo(SqliteFiles.count(dir.resolve("hub.db"), "SELECT count(*) FROM note"));

            String node = engine.nodeUuid();
            assertThat(hub.retirePeer(node)).isTrue();
            assertThat(SqliteFiles.count(
                            dir.resolve("hub.db"),
                            "SELECT count(*) FROM _shuttle_meta WHERE key = 'ticket:" + node + "'"))
                    .as("a retired device's ticket record goes")
                    .isZero();
        }
    }

    @Test
    void zeroKeepsEverything() {
        try (ShuttleDatabase hubDb = open("hub");
                ShuttleDatabase device = open("device")) {
            SyncEngine hub = SyncEngine.builder(hubDb).clock(clock).build();
            SyncEngine engine = SyncEngine.builder(device)
                    .clock(clock)
                    .keepHistory(Duration.ZERO)
                    .build();
            device.execute("INSERT INTO note VALUES (1, 'n')");
            device.execute("DELETE FROM note WHERE id = 1");
            engine.pullThenPush(new InProcessTransport(hub));
            advance(Duration.ofDays(400));
            engine.pullThenPush(new InProcessTransport(hub));
            assertThat(tombstones(device)).isEqualTo(1);
        }
    }

    private long tombstones(ShuttleDatabase db) {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT count(*) FROM _shuttle_feed WHERE op = 2")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
