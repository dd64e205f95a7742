package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Found by the randomized simulation with restores (seed 8353): a device copied from another had pulled from
 * its hub, but no sync of it had finished (the hub refused its pushes as a copy's), when it took a new
 * identity. The reset scheduled a snapshot only for the hubs a sync had finished with, so its next pull went
 * on from its cursor, showing no ticket (a new identity has none): the hub had been restored from an older
 * backup meanwhile, and the device never heard of it. It kept a row of the history the hub lost, and missed
 * what the restored hub wrote below its cursor. A reset now takes the snapshot of every hub the device pulled
 * from.
 */
class ResetBeforeAFinishedSyncTest {
    private static final String SCHEMA = "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)";

    @TempDir
    Path dir;

    private final List<ShuttleDatabase> opened = new ArrayList<>();

    private ShuttleDatabase open(Path f, ConflictPolicy policy, boolean create) {
        if (create) {
            SqliteFiles.exec(f, SCHEMA);
        }
        ShuttleDatabase db = ShuttleDatabase.sqlite(f);
        if (create) {
            Capture.enable(db, CaptureOptions.builder().policy(policy).build(), ProgressListener.NONE);
        }
        opened.add(db);
        return db;
    }

    private static void replace(Path from, Path to) throws Exception {
        Files.deleteIfExists(Path.of(to + "-wal"));
        Files.deleteIfExists(Path.of(to + "-shm"));
        Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> rows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var st = c.createStatement();
                    var rs = st.executeQuery("SELECT id || ' ' || body FROM note ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The hub's pulls as they are; every push refused, so that no sync finishes. */
    private static Transport pushesRefused(SyncEngine hub) {
        Transport t = new InProcessTransport(hub);
        return new Transport() {
            @Override
            public String hubNode() {
                return t.hubNode();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "push refused");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                return t.pull(forNode, since, limit);
            }

            @Override
            public PullResult pull(String forNode, long since, int limit, Standing standing) {
                return t.pull(forNode, since, limit, standing);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return t.snapshot(forNode, after, limit);
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ConflictPolicy.class)
    void aResetBeforeAnySyncFinishedTakesTheSnapshotOfTheHubItPulledFrom(ConflictPolicy policy) throws Exception {
        try {
            Path hubFile = dir.resolve("hub.db");
            ShuttleDatabase hubDb = open(hubFile, policy, true);
            ShuttleDatabase w = open(dir.resolve("w.db"), policy, true);
            ShuttleDatabase d = open(dir.resolve("d.db"), policy, true);
            SyncEngine hub = SyncEngine.open(hubDb);
            w.execute("INSERT INTO note VALUES (1, 'kept by all')");
            SyncEngine.open(w).pullThenPush(new InProcessTransport(hub));
            Path hubBak = Backups.sqlite(hubFile.toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();

            // after the hub's backup: the hub writes a row of its own and w another; d pulls both, and its
            // push is refused, so no sync of d finishes before it takes a new identity
            hubDb.execute("INSERT INTO note VALUES (2, 'lost with the hub')");
            w.execute("INSERT INTO note VALUES (3, 'from w')");
            SyncEngine.open(w).pullThenPush(new InProcessTransport(hub));
            d.execute("INSERT INTO note VALUES (10, 'from d')");
            Transport refusing = pushesRefused(hub);
            assertThatThrownBy(() -> SyncEngine.open(d).pullThenPush(refusing)).hasMessageContaining("push refused");
            assertThat(rows(d)).as("d pulled").contains("2 lost with the hub");
            NodeReset.run(d);

            // the hub is restored from its backup; w pushes its row again and writes more, so the hub's feed
            // passes d's cursor
            hubDb.close();
            replace(hubBak, hubFile);
            hubDb = open(hubFile, policy, false);
            hub = SyncEngine.open(hubDb);
            SyncEngine.open(w).pullThenPush(new InProcessTransport(hub));
            for (int i = 4; i <= 8; i++) {
                w.execute("INSERT INTO note VALUES (" + i + ", 'from w, after the restore')");
                SyncEngine.open(w).pullThenPush(new InProcessTransport(hub));
            }
            hubDb.execute("UPDATE note SET body = 'kept by all, on the restored hub' WHERE id = 1");

            for (int round = 0; round < 2; round++) {
                SyncEngine.open(d).pullThenPush(new InProcessTransport(hub));
                SyncEngine.open(w).pullThenPush(new InProcessTransport(hub));
            }
            assertThat(rows(hubDb))
                    .as("hub")
                    .doesNotContain("2 lost with the hub")
                    .contains("10 from d");
            assertThat(rows(hubDb))
                    .as("hub")
                    .contains("1 kept by all, on the restored hub", "3 from w", "8 from w, after the restore");
            assertThat(rows(d)).as("d").isEqualTo(rows(hubDb));
            assertThat(rows(w)).as("w").isEqualTo(rows(hubDb));
        } finally {
            for (ShuttleDatabase db : opened) {
                db.close();
            }
        }
    }
}
