package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Found by the randomized schema-change schedules (seed 9084, a table under LWW): a delete the hub
 * acknowledged is lost by the hub (restored from an older backup) and by its writer (restored from an older
 * backup too); a third device that received it kept its tombstone through the resync the hub's restore brings.
 * The restored hub holds the row, older than the delete, and so do the other devices; the third device took
 * the hub's row for an older write than the delete it holds and kept the row deleted, for good (it never
 * sends a delete it received). A whole resync now sets the deletes received from the hub aside and takes
 * again those the hub's snapshot carries: one the hub lost is gone, as a row the hub and its writer both lost
 * is, and every replica ends with the hub's row.
 */
class LostDeleteResyncTest {
    @TempDir
    Path dir;

    private final List<ShuttleDatabase> opened = new ArrayList<>();

    private ShuttleDatabase open(Path f, ConflictPolicy policy, boolean create) {
        if (create) {
            SqliteFiles.exec(f, "CREATE TABLE item (id INTEGER PRIMARY KEY, note TEXT)");
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
                    var rs = st.executeQuery("SELECT id || ' ' || note FROM item ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private static void sync(ShuttleDatabase device, SyncEngine hub) {
        SyncEngine.open(device).pullThenPush(new InProcessTransport(hub));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ConflictPolicy.class,
            names = {"LWW", "FIELD_LWW", "VERSION_STRICT", "MANUAL"})
    void aDeleteLostByTheHubAndItsWriterDoesNotKeepTheHubsRowFromADeviceThatReceivedIt(ConflictPolicy policy)
            throws Exception {
        try {
            Path hubFile = dir.resolve("hub.db");
            Path aFile = dir.resolve("a.db");
            ShuttleDatabase hubDb = open(hubFile, policy, true);
            ShuttleDatabase a = open(aFile, policy, true);
            ShuttleDatabase b = open(dir.resolve("b.db"), policy, true);
            ShuttleDatabase c = open(dir.resolve("c.db"), policy, true);
            SyncEngine hub = SyncEngine.open(hubDb);
            b.execute("INSERT INTO item VALUES (1, 'kept by the hub')");
            sync(b, hub);
            sync(a, hub);
            sync(c, hub);
            Path hubBak = Backups.sqlite(hubFile.toString(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            Path aBak = Backups.sqlite(aFile.toString(), dir.resolve("a.bak"), ProgressListener.NONE)
                    .file();

            // after both backups: a deletes the row, the hub acknowledges the delete, c receives it
            Thread.sleep(5);
            a.execute("DELETE FROM item WHERE id = 1");
            sync(a, hub);
            sync(c, hub);
            assertThat(rows(c)).isEmpty();

            // the hub and a are restored from their backups: the delete is on c alone, as a delete it received
            hubDb.close();
            replace(hubBak, hubFile);
            hubDb = open(hubFile, policy, false);
            hub = SyncEngine.open(hubDb);
            a.close();
            replace(aBak, aFile);
            a = open(aFile, policy, false);

            for (int round = 0; round < 2; round++) {
                for (ShuttleDatabase d : List.of(c, a, b)) {
                    sync(d, hub);
                }
            }
            List<String> expected = List.of("1 kept by the hub");
            assertThat(rows(hubDb)).as("hub").isEqualTo(expected);
            assertThat(rows(a)).as("a").isEqualTo(expected);
            assertThat(rows(b)).as("b").isEqualTo(expected);
            assertThat(rows(c)).as("c, which had received the lost delete").isEqualTo(expected);
            for (ShuttleDatabase d : List.of(c, a, b)) {
                assertThat(SyncEngine.open(d)
                                .pullThenPush(new InProcessTransport(hub))
                                .pushed())
                        .as("a quiet sync pushes nothing")
                        .isZero();
            }
        } finally {
            opened.forEach(ShuttleDatabase::close);
        }
    }
}
