package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices pulling from the same cursor after a push share one page read for all of them; the device
 * that wrote the changes gets a page of its own without them.
 */
class SharedPullsIT {
    @TempDir
    Path dir;

    @Test
    void devicesPullingTheSamePositionShareOnePage() throws Exception {
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            List<ShuttleDatabase> devices = new ArrayList<>();
            List<HttpTransport> transports = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ShuttleDatabase d = ShuttleDatabase.sqlite(dir.resolve("d" + i + ".db"));
                HttpTransport t = Fixtures.transport(hub);
                DeviceClone.run(d, t, ProgressListener.NONE);
                devices.add(d);
                transports.add(t);
            }
            double before = shared(hub, "hit");
            devices.get(0).execute("INSERT INTO customer VALUES (500, 'from device 0', 0, NULL)");
            assertThat(SyncEngine.open(devices.get(0))
                            .pullThenPush(transports.get(0))
                            .pushed())
                    .isEqualTo(1);
            Thread.sleep(300); // the hub's position settles (its watcher), as devices told by the stream would pull
            for (int i = 1; i < 20; i++) {
                var r = SyncEngine.open(devices.get(i)).pullThenPush(transports.get(i));
                assertThat(r.applied()).as("device " + i).isEqualTo(1);
            }
            var own = SyncEngine.open(devices.get(0)).pullThenPush(transports.get(0));
            assertThat(own.pulled()).as("its own change does not come back").isZero();
            assertThat(shared(hub, "hit") - before)
                    .as("pulls answered from a shared page")
                    .isGreaterThanOrEqualTo(17);
            devices.forEach(ShuttleDatabase::close);
        }
    }

    @Test
    void withTheSharedEndTurnedOffEveryPullReadsItsOwnPage() throws Exception {
        System.setProperty("shuttle.hub.pullTailEntries", "0");
        try (ShuttleDatabase hubDb = Fixtures.hubDatabase(dir);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb))) {
            ShuttleDatabase writer = ShuttleDatabase.sqlite(dir.resolve("w.db"));
            ShuttleDatabase reader = ShuttleDatabase.sqlite(dir.resolve("r.db"));
            HttpTransport wt = Fixtures.transport(hub);
            HttpTransport rt = Fixtures.transport(hub);
            DeviceClone.run(writer, wt, ProgressListener.NONE);
            DeviceClone.run(reader, rt, ProgressListener.NONE);
            writer.execute("INSERT INTO customer VALUES (501, 'written', 0, NULL)");
            assertThat(SyncEngine.open(writer).pullThenPush(wt).pushed()).isEqualTo(1);
            assertThat(SyncEngine.open(reader).pullThenPush(rt).applied()).isEqualTo(1);
            assertThat(SyncEngine.open(writer).pullThenPush(wt).pulled())
                    .as("its own change does not come back")
                    .isZero();
            assertThat(shared(hub, "hit") + shared(hub, "miss"))
                    .as("no pull went through the shared end")
                    .isZero();
            writer.close();
            reader.close();
        } finally {
            System.clearProperty("shuttle.hub.pullTailEntries");
        }
    }

    private static double shared(HubServer hub, String result) throws Exception {
        String metrics = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/metrics"))
                                .header("Authorization", "Bearer " + Fixtures.TOKEN)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher m = Pattern.compile("shuttle_pulls_shared_total\\{result=\"" + result + "\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
