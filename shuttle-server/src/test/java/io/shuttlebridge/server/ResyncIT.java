package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device behind the hub's purge horizon resyncs from the snapshot: rows deleted on the hub while it
 * was behind (their tombstones purged) go away on the device too, and its unpushed writes stay and
 * reach the hub.
 */
class ResyncIT {
    @TempDir
    Path dir;

    @Test
    void aResyncRemovesWhatTheHubDeletedAndKeepsUnpushedWrites() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.noteHub(dir, "(1, 'one'), (2, 'two')")) {
            SyncEngine hubEngine = SyncEngine.open(hubDb);
            try (HubServer hub = HubServer.builder(hubEngine)
                            .host("127.0.0.1")
                            .port(0)
                            .purgeEvery(Duration.ZERO)
                            .start();
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                HttpTransport http = HttpTransport.builder(hub.url()).build();
                DeviceClone.run(device, http, ProgressListener.NONE);
                SyncEngine engine = SyncEngine.open(device);
                device.execute("INSERT INTO note VALUES (10, 'pushed from the device')");
                engine.pullThenPush(http);
                assertThat(Fixtures.notes(hubDb)).containsExactly("1|one", "2|two", "10|pushed from the device");

                // while the device is away: rows deleted on the hub, one added, and the device's cursor lost
                // (as after restoring the hub's cursors from an older backup), so the tombstones can be purged
                hubDb.execute("DELETE FROM note WHERE id IN (2, 10)");
                hubDb.execute("INSERT INTO note VALUES (3, 'three')");
                hubDb.execute("DELETE FROM _shuttle_peers WHERE peer = ?", engine.nodeUuid());
                assertThat(hubEngine.purgeTombstones()).isZero(); // no peer known: nothing purged...
                hubDb.execute("INSERT INTO _shuttle_peers (peer, acked) VALUES ('someone-else', 1000000)");
                assertThat(hubEngine.purgeTombstones()).isEqualTo(2); // ...one that has everything: purged

                device.execute("INSERT INTO note VALUES (11, 'written while away')");
                var report = engine.pullThenPush(http);
                assertThat(report.resynced()).isTrue();
                assertThat(Fixtures.notes(device))
                        .containsExactly("1|one", "3|three", "11|written while away")
                        .isEqualTo(Fixtures.notes(hubDb));
            }
        }
    }
}
