package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the randomized simulation with restores: a device resyncing from the hub's snapshot removed a
 * row it had pushed that the hub held waiting for its parent (so not in the snapshot), and the hub, once
 * the parent came, applied it and never sent it back to its writer. The snapshot's last page now carries
 * the changes the asking device sent that the hub holds. Since a resyncing device sends back the rows the
 * hub lost that its own rows refer to (resent copies), the writer of the child sends the parent back too.
 */
class HeldChangeResyncTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT)",
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id), label TEXT)"
    };

    @TempDir
    Path dir;

    private ShuttleDatabase open(String name) {
        Path f = dir.resolve(name + ".db");
        SqliteFiles.exec(f, SCHEMA);
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        Capture.enable(db, CaptureOptions.builder().build(), ProgressListener.NONE);
        return db;
    }

    @Test
    void aChildTheHubHoldsForItsParentSurvivesItsWritersResync() throws IOException {
        ShuttleDatabase hubDb = open("hub");
        ShuttleDatabase a = open("a");
        ShuttleDatabase b = open("b");
        Path hubFile = dir.resolve("hub.db");
        Path bak = Backups.sqlite(hubFile.toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                .file();
        SyncEngine hub = SyncEngine.open(hubDb);
        b.execute("INSERT INTO parent VALUES (1, 'from b')");
        SyncEngine.open(b).pullThenPush(new InProcessTransport(hub));
        SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
        a.execute("INSERT INTO child VALUES (10, 1, 'from a')");
        SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));

        // the hub goes back to before the parent: a pushes its child again, which waits for b's parent
        hubDb.close();
        Files.deleteIfExists(Path.of(hubFile + "-wal"));
        Files.deleteIfExists(Path.of(hubFile + "-shm"));
        Files.copy(bak, hubFile, StandardCopyOption.REPLACE_EXISTING);
        hubDb = ShuttleDatabase.sqlite(hubFile);
        hub = SyncEngine.open(hubDb);
        SyncReport recovered = SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
        assertThat(recovered.resynced()).isTrue();
        // since resent copies, a sends back b's parent the hub lost (its child refers to it) with the child,
        // so the child no longer waits on the hub for b
        assertThat(hub.waitingChanges())
                .as("a sent b's parent back with its child: nothing waits")
                .isZero();
        assertThat(rows(hubDb, "parent")).as("b's parent, sent back by a").hasSize(1);
        assertThat(rows(a, "child")).as("kept through a's resync").hasSize(1);

        SyncEngine.open(b).pullThenPush(new InProcessTransport(hub));
        SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
        SyncEngine.open(b).pullThenPush(new InProcessTransport(hub));
        for (String table : List.of("parent", "child")) {
            assertThat(rows(hubDb, table)).as(table).hasSize(1);
            assertThat(rows(a, table)).as(table + " on a").isEqualTo(rows(hubDb, table));
            assertThat(rows(b, table)).as(table + " on b").isEqualTo(rows(hubDb, table));
        }
        assertThat(hub.waitingChanges()).isZero();
        a.close();
        b.close();
        hubDb.close();
    }

    private static List<Map<String, Object>> rows(ShuttleDatabase db, String table) {
        return db.read(c -> {
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                return io.shuttlebridge.core.internal.Jdbc.rowMaps(rs);
            }
        });
    }
}
