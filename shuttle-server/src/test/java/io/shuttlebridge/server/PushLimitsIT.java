package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device pushes pages of any size to a hub with small limits: the hub announces what it takes in
 * one push, and the device sends each page as several requests within them.
 */
class PushLimitsIT {
    @TempDir
    Path dir;

    @Test
    void pagesLargerThanTheHubTakesGoAsSeveralRequests() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("d.db"))) {
            HttpTransport http = Fixtures.transport(hub);
            assertThat(http.limits()).isEqualTo(new HubLimits(100, 64 * 1024)); // announced in the schema
            DeviceClone.Result cloned = DeviceClone.run(device, http, ProgressListener.NONE);
            // 250 rows of about 1 KB: more changes than a push may hold, and 100 of them more bytes than a body may
            // hold
            Fixtures.sql(
                    dir.resolve("d.db"),
                    "WITH RECURSIVE n(i) AS (SELECT 1000 UNION ALL SELECT i + 1 FROM n WHERE i < 1249)"
                            + " INSERT INTO customer SELECT i, printf('%.1000d', i), i / 100.0, NULL FROM n");
            SyncReport r = SyncEngine.builder(device).pageSize(1000).build().pullThenPush(http);
            assertThat(r.pushed()).isEqualTo(250);
            assertThat(Fixtures.rows(dir.resolve("hub.db"), "customer"))
                    .isEqualTo(Fixtures.rows(dir.resolve("d.db"), "customer"));
            // nothing left to push: the whole page was acknowledged once every request of it was applied
            assertThat(SyncEngine.builder(device)
                            .pageSize(1000)
                            .build()
                            .pullThenPush(http)
                            .pushed())
                    .isZero();
        }
    }
}
