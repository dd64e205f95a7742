package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hub (SQLite or MariaDB) purges tombstones on a schedule; a device that never syncs again holds them back until it is retired. */
class RetentionIT {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "mariadb"})
    void tombstonesArePurgedOnceEveryDeviceHasThemOrIsRetired(String kind) throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.noteHub(kind, dir, "(1, 'one'), (2, 'two')")) {
            SyncEngine hubEngine = SyncEngine.open(hubDb);
            try (HubServer hub = HubServer.builder(hubEngine)
                            .host("127.0.0.1")
                            .port(0)
                            .purgeEvery(Duration.ofMillis(100))
                            .start();
                    ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                    ShuttleDatabase b = ShuttleDatabase.sqlite(dir.resolve("b.db"));
                    ShuttleDatabase gone = ShuttleDatabase.sqlite(dir.resolve("gone.db"))) {
                HttpTransport http = HttpTransport.builder(hub.url()).build();
                DeviceClone.run(a, http, ProgressListener.NONE);
                DeviceClone.run(b, http, ProgressListener.NONE);
                DeviceClone.run(gone, http, ProgressListener.NONE);
                SyncEngine ea = SyncEngine.open(a);
                SyncEngine eb = SyncEngine.open(b);
                SyncEngine egone = SyncEngine.open(gone);
                ea.pullThenPush(http);
                eb.pullThenPush(http);
                egone.pullThenPush(http); // registered with the hub, then never heard of again

                a.execute("DELETE FROM note WHERE id = 2");
                for (int round = 0; round < 3; round++) { // a pull acknowledges what the device held when it asked
                    ea.pullThenPush(http);
                    eb.pullThenPush(http);
                }
                Thread.sleep(500); // several purge rounds
                assertThat(tombstones(hubDb))
                        .as("the silent device holds the tombstone back")
                        .isEqualTo(1);

                assertThat(hubEngine.retirePeer(egone.nodeUuid())).isTrue();
                long deadline = System.currentTimeMillis() + 5_000;
                while (tombstones(hubDb) > 0 && System.currentTimeMillis() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(tombstones(hubDb))
                        .as("purged once the silent device is retired")
                        .isZero();
                assertThat(hubEngine.retirePeer(egone.nodeUuid())).isFalse();

                // the retired device comes back: refused, with what to do
                assertThatThrownBy(() -> egone.pullThenPush(http))
                        .isInstanceOf(ShuttleException.class)
                        .hasMessageContaining("403")
                        .hasMessageContaining("was retired from this hub")
                        .hasMessageContaining("clone a new device");
                try (ShuttleDatabase fresh = ShuttleDatabase.sqlite(dir.resolve("fresh.db"))) {
                    DeviceClone.run(fresh, http, ProgressListener.NONE);
                    assertThat(Fixtures.notes(fresh))
                            .isEqualTo(Fixtures.notes(hubDb))
                            .containsExactly("1|one");
                }
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "mariadb"})
    void aDeviceSilentForLongerThanTheRetirementTimeIsRetiredAndNoLongerHoldsBackThePurge(String kind)
            throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.noteHub(kind, dir, "(1, 'one'), (2, 'two')")) {
            SyncEngine hubEngine = SyncEngine.open(hubDb);
            try (HubServer hub = HubServer.builder(hubEngine)
                            .host("127.0.0.1")
                            .port(0)
                            .purgeEvery(Duration.ofMillis(100))
                            .retireAfter(Duration.ofSeconds(2))
                            .start();
                    ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                    ShuttleDatabase gone = ShuttleDatabase.sqlite(dir.resolve("gone.db"))) {
                HttpTransport http = HttpTransport.builder(hub.url()).build();
                DeviceClone.run(a, http, ProgressListener.NONE);
                DeviceClone.run(gone, http, ProgressListener.NONE);
                SyncEngine ea = SyncEngine.open(a);
                SyncEngine egone = SyncEngine.open(gone);
                egone.pullThenPush(http); // then never heard of again
                a.execute("DELETE FROM note WHERE id = 2");
                long deadline = System.currentTimeMillis() + 10_000;
                while (System.currentTimeMillis() < deadline) {
                    ea.pullThenPush(http); // a keeps syncing: never silent long enough
                    if (tombstones(hubDb) == 0) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertThat(tombstones(hubDb))
                        .as("purged once the silent device was retired")
                        .isZero();
                assertThatThrownBy(() -> egone.pullThenPush(http))
                        .isInstanceOf(ShuttleException.class)
                        .hasMessageContaining("was retired from this hub");
                assertThat(ea.pullThenPush(http).pulled())
                        .as("the device that kept syncing is not retired")
                        .isZero();
            }
        }
    }

    private static long tombstones(ShuttleDatabase db) {
        return db.read(c -> Jdbc.queryLong(c, "SELECT count(*) FROM _shuttle_feed WHERE op = 2")
                .orElse(0L));
    }
}
