package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the randomized simulation with restores (seed 8094): a device held a change from its hub waiting
 * for the row's parent; the hub was then restored to a backup from before that row, and nobody had the row
 * to push it again. The device recovered from the hub's restore by taking its snapshot, but kept what it
 * held, and wrote the row once a parent of the same key came later: a row the hub did not have. A whole snapshot
 * now replaces what the device held from its hub.
 */
class HeldChangeFromALostHubHistoryTest {
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
    void aChangeHeldFromAHistoryTheHubLostIsNeverWritten() throws Exception {
        Path hubFile = dir.resolve("hub.db");
        ShuttleDatabase hubDb = open("hub");
        try (ShuttleDatabase a = open("a");
                ShuttleDatabase b = open("b")) {
            SyncEngine hub = SyncEngine.open(hubDb);
            SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
            Path bak = Backups.sqlite(hubFile.toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();

            // written on the hub itself after its backup (lost with its restore): the parent written again, so
            // that its feed entry comes after its child's
            hubDb.execute("INSERT INTO parent VALUES (1, 'on the hub')");
            hubDb.execute("INSERT INTO child VALUES (10, 1, 'on the hub')");
            hubDb.execute("UPDATE parent SET name = 'on the hub, again' WHERE id = 1");
            // a takes the child's page, which waits for its parent, and the sync stops there
            SyncEngine onePage = SyncEngine.builder(a).pageSize(1).build();
            SyncEngine fresh = hub;
            assertThatThrownBy(() -> onePage.pullThenPush(firstPageOnly(fresh))).hasMessageContaining("cut short");
            assertThat(onePage.waitingChanges())
                    .as("the child waits on a for its parent")
                    .isEqualTo(1);

            hubDb.close();
            Replicas.replaceFile(bak, hubFile);
            hubDb = ShuttleDatabase.sqlite(hubFile);
            hub = SyncEngine.open(hubDb);
            SyncReport recovered = SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
            assertThat(recovered.resynced())
                    .as("a recovers from the hub's restore")
                    .isTrue();
            // a parent of the same key comes later, from another device
            b.execute("INSERT INTO parent VALUES (1, 'from b, after the restore')");
            SyncEngine.open(b).pullThenPush(new InProcessTransport(hub));
            SyncEngine.open(a).pullThenPush(new InProcessTransport(hub));
            for (String table : List.of("parent", "child")) {
                assertThat(rows(a, table)).as(table + " on a").isEqualTo(rows(hubDb, table));
            }
            assertThat(rows(a, "child"))
                    .as("the child exists nowhere but in what a held")
                    .isEmpty();
            assertThat(SyncEngine.open(a).waitingChanges()).isZero();
        } finally {
            hubDb.close();
        }
    }

    /** The hub's first page only: the pull after it fails, as a sync cut short. */
    private static Transport firstPageOnly(SyncEngine hub) {
        return new Transport() {
            private int pulls;

            @Override
            public String hubNode() {
                return hub.nodeUuid();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "cut short");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                throw new AssertionError("a device shows its standing");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit, Standing standing) {
                if (pulls++ > 0) {
                    throw new ShuttleException(ErrorCode.TRANSPORT, "cut short");
                }
                return hub.servePull(forNode, since, limit, standing);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                throw new AssertionError("no snapshot");
            }
        };
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
