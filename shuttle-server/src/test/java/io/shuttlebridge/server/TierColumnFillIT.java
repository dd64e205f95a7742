package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A column HQ gains reaches every tier (DESIGN §10, README "Tiers"): HQ is a SQLite hub, the store hub a
 * SQLite file that is a device of HQ and a hub for its own devices, each served over HTTP on loopback. HQ
 * adds a column whose default its existing rows take (written by no change) and a column it writes on one
 * row; the store hub takes the new columns but its first fill of them is cut off, and a device of the
 * store syncs in between, while the store still holds NULL there. Once the store has HQ's values, the
 * device gets them too, as does a device cloned from the store in between and one that follows the store
 * only then; a write the device made meanwhile never blanks HQ's values, and the fill is never pushed back
 * up as a write.
 */
class TierColumnFillIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aStoreHubsDevicesGetHqsValuesOfAColumnTheStoreFilledAfterThem() throws Exception {
        try (ShuttleDatabase hqDb = ShuttleDatabase.sqlite(dir.resolve("hq.db"))) {
            hqDb.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
            hqDb.execute("INSERT INTO item VALUES (1, 'one'), (2, 'two'), (3, 'three')");
            Capture.enable(hqDb);
        }
        try (ShuttleDatabase hqDb = ShuttleDatabase.sqlite(dir.resolve("hq.db"));
                HubServer hq = Fixtures.start(SyncEngine.open(hqDb));
                ShuttleDatabase storeSync = ShuttleDatabase.sqlite(dir.resolve("store.db"))) {
            DeviceClone.run(storeSync, Fixtures.transport(hq), ProgressListener.NONE);
            SyncEngine store = SyncEngine.open(storeSync);
            try (ShuttleDatabase storeServe = ShuttleDatabase.sqlite(dir.resolve("store.db"));
                    HubServer storeHub = Fixtures.start(SyncEngine.open(storeServe));
                    ShuttleDatabase deviceDb = ShuttleDatabase.sqlite(dir.resolve("device.db"));
                    ShuttleDatabase lateDb = ShuttleDatabase.sqlite(dir.resolve("late.db"));
                    ShuttleDatabase afterDb = ShuttleDatabase.sqlite(dir.resolve("after.db"))) {
                DeviceClone.run(deviceDb, Fixtures.transport(storeHub), ProgressListener.NONE);
                SyncEngine device = SyncEngine.open(deviceDb);
                DeviceClone.run(afterDb, Fixtures.transport(storeHub), ProgressListener.NONE);
                SyncEngine after = SyncEngine.open(afterDb);
                long v1 = schema(storeHub).path("schemaVersion").asLong();
                long hqV1 = schema(hq).path("schemaVersion").asLong();

                // HQ gains two columns: its rows take qty's default with no change written; note is written on row 1
                hqDb.execute("ALTER TABLE item ADD COLUMN qty INTEGER DEFAULT 7");
                hqDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
                awaitColumns(hq, hqV1, "qty", "note");
                hqDb.execute("UPDATE item SET note = 'from hq' WHERE id = 1");
                List<String> expected = List.of("1|one|7|from hq", "2|two|7|null", "3|three|7|null");

                // the store takes HQ's new columns and its changes, but HQ goes away before it has filled them
                assertThatThrownBy(() -> store.pullThenPush(new NoSnapshot(Fixtures.transport(hq))))
                        .isInstanceOf(ShuttleException.class);
                long hqTop = feedTop(hqDb); // HQ's write of row 1 is in its feed: the store pulled it
                assertThat(rows(storeSync, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .as("the store holds the columns, not HQ's values of rows HQ wrote no change of")
                        .containsExactly("1|one|7|from hq", "2|two|null|null", "3|three|null|null");

                // meanwhile its device follows it, and renames a row; a device is cloned from it
                awaitColumns(storeHub, v1, "qty", "note");
                device.pullThenPush(Fixtures.transport(storeHub));
                deviceDb.execute("UPDATE item SET name = 'tres' WHERE id = 3");
                device.pullThenPush(Fixtures.transport(storeHub));
                DeviceClone.run(lateDb, Fixtures.transport(storeHub), ProgressListener.NONE);
                SyncEngine late = SyncEngine.open(lateDb);

                // the store gets back to HQ: it fills the columns and relays the rename, which keeps HQ's values
                store.pullThenPush(Fixtures.transport(hq));
                store.pullThenPush(Fixtures.transport(hq));
                expected = List.of("1|one|7|from hq", "2|two|7|null", "3|tres|7|null");
                assertThat(rows(storeSync, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .containsExactlyElementsOf(expected);
                assertThat(rows(hqDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .as("HQ keeps its values under the device's rename")
                        .containsExactlyElementsOf(expected);
                assertThat(feedTop(hqDb))
                        .as("HQ took the rename alone: the store's fill is not a write")
                        .isEqualTo(hqTop + 1);

                device.pullThenPush(Fixtures.transport(storeHub));
                late.pullThenPush(Fixtures.transport(storeHub));
                after.pullThenPush(Fixtures.transport(storeHub));
                assertThat(rows(afterDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .as("a device that follows the store once it has HQ's values takes them at once")
                        .containsExactlyElementsOf(expected);
                assertThat(rows(deviceDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .as("the device that followed the store before it had HQ's values holds them now")
                        .containsExactlyElementsOf(expected);
                assertThat(rows(lateDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                        .as("the device cloned from the store before it had HQ's values holds them now")
                        .containsExactlyElementsOf(expected);

                // and every tier stays put: nothing goes round again
                long top = feedTop(hqDb);
                store.pullThenPush(Fixtures.transport(hq));
                device.pullThenPush(Fixtures.transport(storeHub));
                late.pullThenPush(Fixtures.transport(storeHub));
                after.pullThenPush(Fixtures.transport(storeHub));
                store.pullThenPush(Fixtures.transport(hq));
                assertThat(feedTop(hqDb)).isEqualTo(top);
                for (ShuttleDatabase db : List.of(hqDb, storeSync, deviceDb, lateDb, afterDb)) {
                    assertThat(rows(db, "SELECT id, name, qty, note FROM item ORDER BY id"))
                            .containsExactlyElementsOf(expected);
                }
            }
        }
    }

    private static long feedTop(ShuttleDatabase db) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery("SELECT coalesce(max(seq), 0) FROM _shuttle_feed")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Waits for the hub to serve a schema version other than {@code before} with the new columns of item. */
    private void awaitColumns(HubServer hub, long before, String... added) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode doc = schema(hub);
            List<String> columns = new ArrayList<>();
            for (JsonNode t : doc.path("tables")) {
                if (t.path("name").asText().equals("item")) {
                    t.path("columns").forEach(c -> columns.add(c.path("name").asText()));
                }
            }
            if (doc.path("schemaVersion").asLong() != before && columns.containsAll(List.of(added))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub at " + hub.url() + " did not take the new columns");
    }

    private JsonNode schema(HubServer hub) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hub.url() + "/v1/schema"))
                        .header("Authorization", "Bearer " + Fixtures.TOKEN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder b = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        b.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    out.add(b.toString());
                }
            }
            return out;
        });
    }

    /** HQ over HTTP, gone when the store asks for its snapshot (the fill of the new columns). */
    private static final class NoSnapshot implements Transport {
        private final HttpTransport http;

        NoSnapshot(HttpTransport http) {
            this.http = http;
        }

        @Override
        public String hubNode() {
            return http.hubNode();
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            return http.push(fromNode, changes);
        }

        @Override
        public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
            return http.preparePush(fromNode, changes, standing);
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            return http.pull(forNode, since, limit);
        }

        @Override
        public PullResult pull(String forNode, long since, int limit, Standing standing) {
            return http.pull(forNode, since, limit, standing);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "HQ went away");
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "HQ went away");
        }

        @Override
        public boolean followSchema(SyncEngine device) {
            return http.followSchema(device);
        }

        @Override
        public Optional<KeyDigest> rowDigest(String forNode, String table) {
            return http.rowDigest(forNode, table);
        }

        @Override
        public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
            return http.rowDiff(forNode, table, have, limit);
        }
    }
}
