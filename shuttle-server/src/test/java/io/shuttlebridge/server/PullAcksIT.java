package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled hub writes what pulls acknowledge a moment later, many devices' together: whatever reads the
 * acknowledgements in the hub's process (the purge, the peers' cursors) sees every pull answered, a retired
 * device's pending acknowledgement never brings it back, the last ones are written when the hub stops, and
 * a pull still carries the writes made with plain SQL on the hub just before it.
 */
class PullAcksIT {
    @TempDir
    Path dir;

    @Test
    void acknowledgementsWrittenLaterAreSeenByThePurgeAndNeverBringBackARetiredDevice() throws Exception {
        String url = Postgres.freshDatabase();
        Postgres.exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text)");
        Postgres.exec(url, "INSERT INTO note VALUES (1, 'one'), (2, 'two')");
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            Capture.enable(setup, CaptureOptions.allTables(), ProgressListener.NONE);
        }
        try (ShuttleDatabase hubDb = HubDatabases.open(url, 4);
                ShuttleDatabase a = ShuttleDatabase.sqlite(dir.resolve("a.db"));
                ShuttleDatabase gone = ShuttleDatabase.sqlite(dir.resolve("gone.db"))) {
            SyncEngine hubEngine = SyncEngine.open(hubDb);
            String hubNode = hubEngine.nodeUuid();
            HubServer hub = HubServer.builder(hubEngine)
                    .host("127.0.0.1")
                    .port(0)
                    .token(Fixtures.TOKEN)
                    .start();
            HttpTransport http = Fixtures.transport(hub);
            DeviceClone.run(a, http, ProgressListener.NONE);
            DeviceClone.run(gone, http, ProgressListener.NONE);
            SyncEngine ea = SyncEngine.open(a);
            SyncEngine egone = SyncEngine.open(gone);
            egone.pullThenPush(http);

            // a write made with plain SQL on the hub reaches the very next pull
            Postgres.exec(url, "INSERT INTO note VALUES (3, 'three')");
            assertThat(ea.pullThenPush(http).applied()).isEqualTo(1);

            // the device deletes a row and everyone but the silent device pulls past it
            a.execute("DELETE FROM note WHERE id = 2");
            ea.pullThenPush(http);
            ea.pullThenPush(http);
            long since = ea.cursor(hubNode).lastPulled(); // a pull acknowledges what the device held when it asked
            ea.pullThenPush(http);
            assertThat(since).isPositive();
            assertThat(hubEngine.cursor(ea.nodeUuid()).acked())
                    .as("the hub's process sees the last pull's acknowledgement at once")
                    .isEqualTo(since);

            // the silent device pulls once more, and is retired before its acknowledgement is written
            egone.pullThenPush(http);
            assertThat(hubEngine.retirePeer(egone.nodeUuid())).isTrue();
            Thread.sleep(600); // longer than the acknowledgements wait
            assertThat(peerRows(url, egone.nodeUuid()))
                    .as("a retired device's acknowledgement does not bring it back")
                    .isZero();
            assertThat(hubEngine.purgeTombstones())
                    .as("the tombstone every remaining device has acknowledged is purged")
                    .isEqualTo(1);

            // acknowledgements are written a moment later, and the last ones when the hub stops
            Postgres.exec(url, "INSERT INTO note VALUES (4, 'four')");
            ea.pullThenPush(http);
            long last = ea.cursor(hubNode).lastPulled();
            ea.pullThenPush(http);
            hub.close();
            assertThat(last).isGreaterThan(since);
            assertThat(ackedInDatabase(url, ea.nodeUuid())).isEqualTo(last);
        }
    }

    private static long peerRows(String url, String peer) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM _shuttle_peers WHERE peer = ?")) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long ackedInDatabase(String url, String peer) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                PreparedStatement ps = c.prepareStatement("SELECT acked FROM _shuttle_peers WHERE peer = ?")) {
            ps.setString(1, peer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }
}
