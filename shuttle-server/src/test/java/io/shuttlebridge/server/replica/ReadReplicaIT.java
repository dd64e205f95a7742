package io.shuttlebridge.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub whose pulls and snapshots come from a hot standby that applies what it receives 300 ms late,
 * while pushes go to the primary: a device that pulls right after another device's push gets that
 * push all the same (the pull waits for the standby to replay it, or the primary serves it), devices
 * clone from the standby, and most pulls are served by the standby.
 */
class ReadReplicaIT {
    private static final String TOKEN = "replica";

    @TempDir
    Path dir;

    @Test
    void pullsFromALaggingStandbyNeverMissAChange() throws Exception {
        try (StandbyPair pair = new StandbyPair(dir, "300ms", url -> {
                    try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
                        db.execute("CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT)");
                        db.execute("INSERT INTO note VALUES (1, 'before the standby was made')");
                        Capture.enable(db);
                    }
                });
                ShuttleDatabase primary = HubDatabases.open(pair.primaryUrl(), 4);
                ShuttleDatabase standby = HubDatabases.open(pair.standbyUrl(), 4);
                HubServer hub = HubServer.builder(SyncEngine.open(primary))
                        .host("127.0.0.1")
                        .port(0)
                        .token(TOKEN)
                        .readDatabase(standby)
                        .start();
                ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                ShuttleDatabase b = ShuttleDatabase.sqlite(dir.resolve("b.db"))) {
            HttpTransport ta = HttpTransport.builder(hub.url()).token(TOKEN).build();
            HttpTransport tb = HttpTransport.builder(hub.url()).token(TOKEN).build();
            DeviceClone.run(a, ta, ProgressListener.NONE);
            DeviceClone.run(b, tb, ProgressListener.NONE);
            assertThat(count(b)).isEqualTo(1);
            SyncEngine ea = SyncEngine.open(a);
            SyncEngine eb = SyncEngine.open(b);
            for (int i = 2; i <= 21; i++) {
                a.execute("INSERT INTO note VALUES (?, ?)", i, "written on a");
                assertThat(ea.pullThenPush(ta).pushed()).isEqualTo(1);
                eb.pullThenPush(tb);
                assertThat(count(b)).as("b right after a's push of note " + i).isEqualTo(i);
            }
            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(hub.url() + "/metrics"))
                                    .header("Authorization", "Bearer " + TOKEN)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(served(metrics, "replica")).as(metrics).isGreaterThan(20);
        }
    }

    private static long count(ShuttleDatabase db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM note")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static double served(String metrics, String source) {
        Matcher m = Pattern.compile("shuttle_pulls_served_total\\{source=\"" + source + "\"[^}]*} ([0-9.E]+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
