package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A destructive schema change pending on a running hub (a key column or a column of a captured table renamed
 * with plain SQL, not accepted yet) never blocks a device's queue (issue 15, item 2), over HTTP on SQLite,
 * PostgreSQL and MariaDB hubs: the device's write to that table comes back as a rejected write {@code
 * SCHEMA_MISMATCH} naming the change and what to do, its write to another table is stored; once the change
 * is undone the rejected write goes through, and once it is accepted the rejected write stays, as the table
 * it was written for is no more.
 */
class PendingSchemaChangeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private ShuttleDatabase hub(String kind) {
        ShuttleDatabase db = switch (kind) {
            case "sqlite" -> ShuttleDatabase.sqlite(dir.resolve("hub.db"));
            case "mariadb" -> ShuttleDatabase.open(MariaDb.freshDatabase());
            default -> ShuttleDatabase.open(Postgres.freshDatabase());
        };
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name VARCHAR(40))");
        db.execute("CREATE TABLE tag (id BIGINT PRIMARY KEY, label VARCHAR(40))");
        db.execute("INSERT INTO item VALUES (1, 'one')");
        Capture.enable(db);
        return db;
    }

    @ParameterizedTest(name = "hub on {0}: {1} renamed to {2}")
    @CsvSource({
        "sqlite, id, item_id, of the primary key was renamed",
        "postgresql, id, item_id, of the primary key was renamed",
        "mariadb, id, item_id, of the primary key was renamed",
        "sqlite, name, title, was renamed",
        "postgresql, name, title, was renamed",
        "mariadb, name, title, was renamed"
    })
    void aWriteToATableWithAPendingChangeIsARejectedWriteAndTheQueueGoesOn(
            String kind, String column, String renamed, String said) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);

            // two writes queued on the device, one to each table; the hub's item changes meanwhile
            long v0 = schema(hub).path("schemaVersion").asLong();
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            device.execute("INSERT INTO tag VALUES (7, 'red')");
            rename(hubDb, kind, column, renamed);
            awaitVersionMoved(hub, v0); // the running hub has seen the change (its feed-watch tick)

            SyncReport first = engine.pullThenPush(transport);
            assertThat(first.pushed()).isEqualTo(1);
            assertThat(rows(hubDb, "SELECT id, label FROM tag")).containsExactly("7|red");
            List<RejectedWrite> rejected = engine.rejectedWrites(true);
            assertThat(rejected).hasSize(1);
            RejectedWrite w = rejected.get(0);
            assertThat(w.table()).isEqualTo("item");
            assertThat(w.key()).containsExactly(1L);
            assertThat(w.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(w.message())
                    .contains("the hub's table \"item\" has a schema change made with plain SQL that the hub has not"
                            + " taken")
                    .contains("column \"item\".\"" + column + "\" " + said + " to \"" + renamed + "\"")
                    .contains("'shuttle schema apply --db DB --accept-destructive item'");
            assertThat(w.values()).containsEntry("name", "uno");
            assertThat(rows(device, "SELECT id, name FROM item"))
                    .as("the device keeps its row")
                    .containsExactly("1|uno");
            assertThat(rows(hubDb, "SELECT * FROM item")).containsExactly("1|one");

            // the next sync sends nothing more, and the refusal is not recorded twice
            SyncReport next = engine.pullThenPush(transport);
            assertThat(next.pushed()).isZero();
            assertThat(engine.rejectedWrites(true)).hasSize(1);

            // the change is undone: the rejected write is queued again and goes through
            rename(hubDb, kind, renamed, column);
            awaitRetried(engine, transport, w.id());
            assertThat(rows(hubDb, "SELECT id, name FROM item")).containsExactly("1|uno");
            assertThat(engine.rejectedWrites(true)).isEmpty();
            device.execute("INSERT INTO item VALUES (2, 'two')");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, name FROM item ORDER BY id")).containsExactly("1|uno", "2|two");
        }
    }

    @ParameterizedTest(name = "hub on {0}: {1} renamed to {2}, accepted")
    @CsvSource({
        "sqlite, id, item_id",
        "postgresql, id, item_id",
        "mariadb, id, item_id",
        "sqlite, name, title",
        "postgresql, name, title",
        "mariadb, name, title"
    })
    void aRejectedWriteOfTheOldShapeStaysOnceTheChangeIsAccepted(String kind, String column, String renamed)
            throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();
            long v0 = schema(hub).path("schemaVersion").asLong();
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            device.execute("INSERT INTO tag VALUES (7, 'red')");
            rename(hubDb, kind, column, renamed);
            awaitVersionMoved(hub, v0); // the running hub has seen the change (its feed-watch tick)
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, label FROM tag")).containsExactly("7|red");
            RejectedWrite w = engine.rejectedWrites(true).get(0);
            assertThat(w.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);

            Capture.acceptSchema(hubDb, "item");
            awaitColumn(hub, v1, renamed);
            engine.pullThenPush(transport); // clones item again, at its new shape
            engine.pullThenPush(transport);
            String key = column.equals("id") ? renamed : "id";
            String value = column.equals("name") ? renamed : "name";
            assertThat(rows(device, "SELECT " + key + ", " + value + " FROM item"))
                    .containsExactly("1|one");
            // written for a column the table no longer has: kept for the user to retry or dismiss
            assertThat(engine.rejectedWrites(true)).singleElement().satisfies(kept -> {
                assertThat(kept.id()).isEqualTo(w.id());
                assertThat(kept.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
                assertThat(kept.values()).containsEntry("name", "uno");
            });
            assertThat(rows(hubDb, "SELECT " + key + ", " + value + " FROM item"))
                    .containsExactly("1|one");
            // the device syncs the table on, both ways
            device.execute("INSERT INTO item VALUES (3, 'three')");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT " + key + ", " + value + " FROM item ORDER BY " + key))
                    .containsExactly("1|one", "3|three");
        }
    }

    @ParameterizedTest(name = "hub on {0}: {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "postgresql; ALTER TABLE item DROP COLUMN name; ALTER TABLE item ADD COLUMN name VARCHAR(40);"
                        + " column \"item\".\"name\" was dropped or renamed",
                "mariadb; ALTER TABLE item DROP COLUMN name; ALTER TABLE item ADD COLUMN name VARCHAR(40);"
                        + " column \"item\".\"name\" was dropped or renamed",
                // SQLite refuses to drop a column its capture triggers name
                "sqlite; DROP TABLE item; ; table \"item\" was dropped or renamed",
                "postgresql; DROP TABLE item; ; table \"item\" was dropped or renamed",
                "mariadb; DROP TABLE item; ; table \"item\" was dropped or renamed"
            })
    void aWriteToADroppedColumnOrTableIsARejectedWriteAndTheQueueGoesOn(
            String kind, String drop, String undo, String said) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);

            long v0 = schema(hub).path("schemaVersion").asLong();
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            device.execute("INSERT INTO tag VALUES (7, 'red')");
            hubDb.execute(drop);
            awaitVersionMoved(hub, v0);

            SyncReport first = engine.pullThenPush(transport);
            assertThat(first.pushed()).isEqualTo(1);
            assertThat(rows(hubDb, "SELECT id, label FROM tag")).containsExactly("7|red");
            RejectedWrite w = engine.rejectedWrites(true).stream()
                    .filter(r -> r.table().equals("item"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no rejected write of item"));
            assertThat(engine.rejectedWrites(true)).hasSize(1);
            assertThat(w.key()).containsExactly(1L);
            assertThat(w.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(w.message())
                    .contains("the hub's table \"item\" has a schema change made with plain SQL")
                    .contains(said);
            assertThat(w.values()).containsEntry("name", "uno");
            assertThat(rows(device, "SELECT id, name FROM item"))
                    .as("the device keeps its row")
                    .containsExactly("1|uno");

            // the device's other writes go on
            device.execute("INSERT INTO tag VALUES (8, 'blue')");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, label FROM tag ORDER BY id")).containsExactly("7|red", "8|blue");
            assertThat(engine.rejectedWrites(true)).hasSize(1);

            if (undo != null && !undo.isBlank()) {
                // the column is back (nullable, empty): the rejected write is queued again and goes through
                hubDb.execute(undo);
                awaitRetried(engine, transport, w.id());
                assertThat(rows(hubDb, "SELECT id, name FROM item")).containsExactly("1|uno");
                assertThat(engine.rejectedWrites(true)).isEmpty();
            }
        }
    }

    private static void rename(ShuttleDatabase db, String kind, String from, String to) {
        db.execute("ALTER TABLE item RENAME COLUMN " + from + " TO " + to);
    }

    /** Syncs until the rejected write was queued again and pushed (the hub takes the undo within a tick). */
    private static void awaitRetried(SyncEngine engine, HttpTransport transport, long id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            engine.pullThenPush(transport);
            if (engine.rejectedWrites(true).stream().noneMatch(w -> w.id() == id)) {
                engine.pullThenPush(transport);
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rejected write " + id + " was not queued again: " + engine.rejectedWrites(false));
    }

    /** Waits for the hub to announce a schema version other than {@code before}, and returns it. */
    private long awaitVersionMoved(HubServer hub, long before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            long v = schema(hub).path("schemaVersion").asLong();
            if (v != before) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub did not see the schema change");
    }

    private void awaitColumn(HubServer hub, long before, String column) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode doc = schema(hub);
            if (doc.path("schemaVersion").asLong() != before
                    && columns(doc, "item").contains(column)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub did not take the new shape of item");
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

    private static List<String> columns(JsonNode schema, String table) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : schema.path("tables")) {
            if (t.path("name").asText().equals(table)) {
                t.path("columns").forEach(c -> out.add(c.path("name").asText()));
            }
        }
        return out;
    }

    private static List<String> rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder row = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        row.append(i == 1 ? "" : "|").append(rs.getString(i));
                    }
                    out.add(row.toString());
                }
            }
            return out;
        });
    }
}
