package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A device that syncs renews its short-id lease before it runs out, and keeps its id. */
class LeaseRenewalIT {
    @TempDir
    Path dir;

    @Test
    void aLeaseCloseToItsEndIsRenewedAndOneFarFromItIsLeftAlone() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.noteHub(dir)) {
            try (HubServer hub = HubServer.builder(SyncEngine.open(hubDb))
                            .host("127.0.0.1")
                            .port(0)
                            .leaseTtl(Duration.ofDays(7))
                            .start();
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                HttpTransport http = HttpTransport.builder(hub.url()).build();
                int shortId = DeviceClone.run(device, http, ProgressListener.NONE)
                        .lease()
                        .shortId();
                assertThat(NodeLeases.renewIfDue(device, http)).isEmpty();

                Instant soon = Instant.now().plus(Duration.ofHours(1));
                device.execute("UPDATE _shuttle_meta SET value = ? WHERE key = 'lease_expires_at'", soon.toString());
                var renewed = NodeLeases.renewIfDue(device, http);
                assertThat(renewed).isPresent();
                assertThat(renewed.get().shortId()).isEqualTo(shortId);
                assertThat(renewed.get().leaseExpiresAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));
                assertThat(NodeLeases.show(device).lease()).contains(renewed.get());
            }
        }
    }
}
