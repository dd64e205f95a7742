package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each device's ids come from the short id it leased: two devices of one hub never make the same id. */
class LeasedIdsIT {
    @TempDir
    Path dir;

    @Test
    void devicesMakeIdsFromTheirLeasedShortIdsAndNeverCollide() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                ShuttleDatabase b = ShuttleDatabase.sqlite(dir.resolve("b.db"));
                ShuttleDatabase lone = ShuttleDatabase.sqlite(dir.resolve("lone.db"))) {
            DeviceClone.run(a, Fixtures.transport(hub), ProgressListener.NONE);
            DeviceClone.run(b, Fixtures.transport(hub), ProgressListener.NONE);
            KSortedIdGenerator ga = NodeLeases.idGenerator(a);
            KSortedIdGenerator gb = NodeLeases.idGenerator(b);
            assertThat(NodeLeases.idGenerator(a))
                    .as("one generator per device in a process")
                    .isSameAs(ga);
            int shortA = NodeLeases.show(a).lease().orElseThrow().shortId();
            int shortB = NodeLeases.show(b).lease().orElseThrow().shortId();
            assertThat(shortA).isNotEqualTo(shortB);
            Set<Long> ids = new HashSet<>();
            for (int i = 0; i < 50_000; i++) {
                long x = ga.next();
                long y = gb.next();
                assertThat(KSortedId.shortId(x)).isEqualTo(shortA);
                assertThat(KSortedId.shortId(y)).isEqualTo(shortB);
                ids.add(x);
                ids.add(y);
            }
            assertThat(ids).hasSize(100_000);

            lone.execute("CREATE TABLE note (id INTEGER PRIMARY KEY)");
            Capture.enable(lone);
            assertThatThrownBy(() -> NodeLeases.idGenerator(lone))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("no short id leased")
                    .hasMessageContaining("shuttle node lease");
        }
    }
}
