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
import io.shuttlebridge.core.capture.SchemaChanges;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.SyncEngine;
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
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Schema evolution while syncing (DESIGN §10), over HTTP on SQLite, PostgreSQL and MariaDB hubs: a column and a
 * table added with plain SQL on a running hub are served under a new schema version, devices take them
 * on their next sync, a device without the column never blanks it on the hub, its writes the hub refused
 * for want of a column go through once the hub has it, and a dropped column is refused.
 */
class SchemaEvolutionIT {
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
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
        db.execute("INSERT INTO item VALUES (1, 'one')");
        Capture.enable(db);
        return db;
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void additiveChangesReachDevicesWithoutARestart(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"));
                ShuttleDatabase old = ShuttleDatabase.sqlite(dir.resolve("old.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            DeviceClone.run(old, Fixtures.transport(hub), ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();
            assertThat(v1).isNotZero();
            assertThat(pull(hub).path("schemaVersion").asLong()).isEqualTo(v1);

            // a device writes a column the hub does not have yet: refused alone, kept
            device.execute("ALTER TABLE item ADD COLUMN early TEXT");
            Capture.enable(
                    device,
                    io.shuttlebridge.core.capture.CaptureOptions.builder()
                            .tables(List.of("item"))
                            .build());
            SyncEngine early = SyncEngine.open(device);
            device.execute("INSERT INTO item (id, name, early) VALUES (5, 'five', 'soon')");
            early.pullThenPush(transport);
            assertThat(early.rejectedWrites(true))
                    .extracting(RejectedWrite::code)
                    .containsExactly(ErrorCode.SCHEMA_MISMATCH);

            // the hub's tables change with plain SQL while it runs
            hubDb.execute("ALTER TABLE item ADD COLUMN price INTEGER DEFAULT 0");
            hubDb.execute("ALTER TABLE item ADD COLUMN early TEXT");
            hubDb.execute("CREATE TABLE tag (id BIGINT PRIMARY KEY, label TEXT NOT NULL)");
            hubDb.execute("INSERT INTO tag VALUES (7, 'red')");
            long v2 = awaitNewVersion(hub, v1);
            hubDb.execute("UPDATE item SET price = 42 WHERE id = 1"); // captured once the hub took the column
            JsonNode doc = schema(hub);
            assertThat(columns(doc, "item")).contains("price", "early");
            assertThat(columns(doc, "tag")).containsExactly("id", "label");
            assertThat(pull(hub).path("schemaVersion").asLong()).isEqualTo(v2);

            // the device takes them on its next sync, the rows and values arrive, its refused write goes through
            SyncEngine fresh = SyncEngine.open(device);
            fresh.pullThenPush(transport); // follows the schema, queues the refused write again
            fresh.pullThenPush(transport);
            assertThat(rows(device, "SELECT id, name, price FROM item ORDER BY id"))
                    .containsExactly("1|one|42", "5|five|null");
            assertThat(rows(device, "SELECT id, label FROM tag")).containsExactly("7|red");
            assertThat(rows(hubDb, "SELECT id, early FROM item WHERE id = 5")).containsExactly("5|soon");
            assertThat(fresh.rejectedWrites(true)).isEmpty();
            // the device's own writes of the new objects are captured and reach the hub
            device.execute("INSERT INTO tag VALUES (8, 'blue')");
            device.execute("UPDATE item SET price = 43 WHERE id = 1");
            fresh.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, label FROM tag ORDER BY id")).containsExactly("7|red", "8|blue");
            assertThat(rows(hubDb, "SELECT price FROM item WHERE id = 1")).containsExactly("43");

            // a device still without the column updates another one: the hub keeps the column's value
            SyncEngine oldEngine = SyncEngine.open(old);
            old.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            pushWithoutFollowing(oldEngine, Fixtures.transport(hub));
            assertThat(rows(hubDb, "SELECT name, price FROM item WHERE id = 1")).containsExactly("uno|43");
        }
    }

    /**
     * A clone notes the version of the hub's schema it created its tables from: its first sync does not read
     * the hub's schema again, a sync after the hub's schema moved does, once.
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCloneFollowsTheHubsSchemaOnlyOnceItMoves(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            DeviceClone.run(device, Fixtures.transport(hub), ProgressListener.NONE);
            Following transport = new Following(Fixtures.transport(hub));
            SyncEngine engine = SyncEngine.open(device);
            engine.pullThenPush(transport);
            engine.pullThenPush(transport);
            assertThat(transport.followed).isZero();

            long v1 = schema(hub).path("schemaVersion").asLong();
            hubDb.execute("ALTER TABLE item ADD COLUMN price INTEGER DEFAULT 0");
            awaitColumns(hub, v1, "item", "price");
            SyncEngine.open(device).pullThenPush(transport);
            SyncEngine.open(device).pullThenPush(transport);
            assertThat(transport.followed).isEqualTo(1);
            assertThat(rows(device, "SELECT id, price FROM item")).containsExactly("1|0");
        }
    }

    /** The hub over HTTP, counting the times a device read its schema to follow it. */
    private static class Following implements io.shuttlebridge.core.sync.Transport {
        private final HttpTransport http;
        int followed;

        Following(HttpTransport http) {
            this.http = http;
        }

        @Override
        public String hubNode() {
            return http.hubNode();
        }

        @Override
        public io.shuttlebridge.core.sync.PushResult push(
                String fromNode, List<io.shuttlebridge.core.change.Change> changes) {
            return http.push(fromNode, changes);
        }

        @Override
        public io.shuttlebridge.core.sync.PullResult pull(String forNode, long since, int limit) {
            return http.pull(forNode, since, limit);
        }

        @Override
        public io.shuttlebridge.core.sync.PullResult snapshot(String forNode, long after, int limit) {
            return http.snapshot(forNode, after, limit);
        }

        @Override
        public boolean followSchema(SyncEngine device) {
            followed++;
            return http.followSchema(device);
        }
    }

    /**
     * The hub gains a column whose default its rows take and a column it fills; a device that renamed a
     * row while it did not know them yet, and whose rename is the newer write, keeps the rename and never
     * blanks the hub's values of the new columns: it takes the hub's values of its rows' new columns before
     * it pushes, also for rows the hub did not write since (their values came with the ALTER alone).
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void aDeviceNeverBlanksColumnsItHadNotReceived(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            hubDb.execute("INSERT INTO item VALUES (2, 'two')");
            hubDb.execute("INSERT INTO item VALUES (3, 'three')");
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();

            hubDb.execute("ALTER TABLE item ADD COLUMN qty INTEGER DEFAULT 7"); // rows 1..3 take 7, uncaptured
            hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
            awaitColumns(hub, v1, "item", "qty", "note");
            hubDb.execute("UPDATE item SET note = 'from the hub' WHERE id IN (1, 2)"); // captured
            Thread.sleep(20); // the device's rename below is the newer write of row 1

            // offline, before it learns of the columns, the device renames row 1
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1");
            engine.pullThenPush(transport);
            List<String> expected = List.of("1|uno|7|from the hub", "2|two|7|from the hub", "3|three|7|null");
            assertThat(rows(hubDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                    .as("the hub keeps its values of the new columns")
                    .containsExactlyElementsOf(expected);
            assertThat(rows(device, "SELECT id, name, qty, note FROM item ORDER BY id"))
                    .as("the device holds the hub's values of the new columns, also of rows the hub did not write")
                    .containsExactlyElementsOf(expected);

            // once it has them, its edits carry them, and a value it writes itself goes through
            device.execute("UPDATE item SET name = 'tres' WHERE id = 3");
            device.execute("UPDATE item SET qty = 9 WHERE id = 2");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, name, qty, note FROM item ORDER BY id"))
                    .containsExactly("1|uno|7|from the hub", "2|two|9|from the hub", "3|tres|7|null");
            assertThat(engine.pullThenPush(transport).conflicts()).isZero();
            assertThat(rows(device, "SELECT id, name, qty, note FROM item ORDER BY id"))
                    .containsExactly("1|uno|7|from the hub", "2|two|9|from the hub", "3|tres|7|null");
        }
    }

    /**
     * The hub's schema announces the defaults of its columns that are safe constants; a device adding such a
     * column gives it the same default, so a row it inserts without the column reaches the hub with the
     * hub's default rather than NULL, while its rows from before still take the hub's values.
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDeviceGivesAnAddedColumnTheHubsDefault(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind);
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();

            hubDb.execute("ALTER TABLE item ADD COLUMN qty INTEGER DEFAULT 7");
            hubDb.execute("ALTER TABLE item ADD COLUMN label TEXT DEFAULT 'it''s new'");
            hubDb.execute("ALTER TABLE item ADD COLUMN ratio NUMERIC DEFAULT 1.5");
            boolean postgres = kind.equals("postgresql"); // SQLite adds no column whose default is an expression
            if (postgres) {
                hubDb.execute("ALTER TABLE item ADD COLUMN made TEXT DEFAULT now()::text");
            }
            if (postgres) {
                awaitColumns(hub, v1, "item", "qty", "label", "ratio", "made");
            } else {
                awaitColumns(hub, v1, "item", "qty", "label", "ratio");
            }
            hubDb.execute("UPDATE item SET qty = 9 WHERE id = 1");
            JsonNode item = table(schema(hub), "item");
            assertThat(column(item, "qty").path("default").asLong()).isEqualTo(7);
            assertThat(column(item, "label").path("default").asText()).isEqualTo("it's new");
            assertThat(column(item, "ratio").path("default").decimalValue()).isEqualByComparingTo("1.5");
            if (postgres) {
                assertThat(column(item, "made").has("default"))
                        .as("not a constant: left out")
                        .isFalse();
            }
            assertThat(column(item, "name").has("default")).isFalse();

            engine.pullThenPush(transport); // follows the schema: the columns are added with the hub's defaults
            engine.pullThenPush(transport);
            assertThat(rows(device, "SELECT id, qty, label FROM item")).containsExactly("1|9|it's new");
            device.execute("INSERT INTO item (id, name) VALUES (2, 'two')");
            assertThat(rows(device, "SELECT qty, label, ratio FROM item WHERE id = 2"))
                    .containsExactly("7|it's new|1.5");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, qty, label FROM item ORDER BY id"))
                    .as("the hub's default, not NULL, for the row the device inserted")
                    .containsExactly("1|9|it's new", "2|7|it's new");
        }
    }

    /**
     * A write the hub refused for want of a column is queued again, once the hub has the column, as the row
     * is on the device then: the refused values referred to a row the device deleted since (they would fail
     * its foreign key), and the write of a row deleted since needs nothing more.
     */
    @org.junit.jupiter.api.Test
    void aRefusedWriteIsQueuedAgainAsTheRowIsNow() throws Exception {
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(dir.resolve("hub.db"))) {
            hubDb.execute(
                    "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, boss INTEGER REFERENCES person(id))");
            Capture.enable(hubDb);
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                HttpTransport transport = Fixtures.transport(hub);
                DeviceClone.run(device, transport, ProgressListener.NONE);
                long v1 = schema(hub).path("schemaVersion").asLong();
                device.execute("ALTER TABLE person ADD COLUMN early TEXT");
                SyncEngine engine = SyncEngine.open(device);
                engine.refreshSchema();
                device.execute("INSERT INTO person (id, name, early) VALUES (1, 'boss', 'a')");
                device.execute("INSERT INTO person (id, name, boss, early) VALUES (2, 'two', 1, 'b')");
                engine.pullThenPush(transport);
                assertThat(engine.rejectedWrites(true)).hasSize(2);
                // the device moves on: row 2 no longer refers to row 1, which it deletes
                device.execute("UPDATE person SET boss = NULL, early = 'c' WHERE id = 2");
                device.execute("DELETE FROM person WHERE id = 1");
                engine.pullThenPush(transport);

                hubDb.execute("ALTER TABLE person ADD COLUMN early TEXT");
                awaitColumns(hub, v1, "person", "early");
                engine.pullThenPush(transport); // follows the schema, queues the refused writes again
                engine.pullThenPush(transport);
                assertThat(engine.rejectedWrites(true))
                        .as("nothing left refused")
                        .isEmpty();
                assertThat(rows(hubDb, "SELECT id, name, boss, early FROM person ORDER BY id"))
                        .containsExactly("2|two|null|c");
                assertThat(rows(device, "SELECT id, name, boss, early FROM person ORDER BY id"))
                        .containsExactly("2|two|null|c");
            }
        }
    }

    /**
     * FIELD_LWW: a device writes a column its hub does not have yet (refused), then another device that lacks
     * it writes the row; once the hub has the column, the first device's value of it reaches the hub (no write
     * of the column is newer) and the other device's value of the row's other column stays.
     */
    @org.junit.jupiter.api.Test
    void aRefusedWriteOfAColumnWinsOverLaterWritesWithoutItUnderFieldLww() throws Exception {
        try (ShuttleDatabase hubDb = itemHub(io.shuttlebridge.core.ConflictPolicy.FIELD_LWW)) {
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase early = ShuttleDatabase.sqlite(dir.resolve("early.db"));
                    ShuttleDatabase other = ShuttleDatabase.sqlite(dir.resolve("other.db"))) {
                DeviceClone.run(early, Fixtures.transport(hub), ProgressListener.NONE);
                DeviceClone.run(other, Fixtures.transport(hub), ProgressListener.NONE);
                long v1 = schema(hub).path("schemaVersion").asLong();
                early.execute("ALTER TABLE item ADD COLUMN note TEXT");
                SyncEngine first = SyncEngine.open(early);
                first.refreshSchema();
                early.execute("UPDATE item SET note = 'mine' WHERE id = 1");
                first.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true)).hasSize(1);
                Thread.sleep(5);
                other.execute("UPDATE item SET name = 'uno' WHERE id = 1"); // newer, without the column
                SyncEngine second = SyncEngine.open(other);
                second.pullThenPush(Fixtures.transport(hub));

                hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
                awaitColumns(hub, v1, "item", "note");
                first.pullThenPush(Fixtures.transport(hub)); // follows, queues the refused write again
                first.pullThenPush(Fixtures.transport(hub));
                second.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true)).isEmpty();
                assertThat(rows(hubDb, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
                assertThat(rows(early, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
                assertThat(rows(other, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
            }
        }
    }

    /**
     * FIELD_LWW, found by the schema-change schedules (seed 9076): a device's write of a column its hub did not
     * have yet is refused; the hub gains the column and another device writes a value into it; the first
     * device then follows the hub's schema and queues its refused write again. That write is older than the
     * other device's write of the column and loses to it everywhere: queued again, it had gone under the stamp
     * of the moment it was queued and overwrote the newer value on every replica.
     */
    @org.junit.jupiter.api.Test
    void aRefusedWriteOfAColumnQueuedAgainLosesToALaterWriteOfItUnderFieldLww() throws Exception {
        try (ShuttleDatabase hubDb = itemHub(io.shuttlebridge.core.ConflictPolicy.FIELD_LWW)) {
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase early = ShuttleDatabase.sqlite(dir.resolve("early.db"));
                    ShuttleDatabase other = ShuttleDatabase.sqlite(dir.resolve("other.db"))) {
                DeviceClone.run(early, Fixtures.transport(hub), ProgressListener.NONE);
                DeviceClone.run(other, Fixtures.transport(hub), ProgressListener.NONE);
                long v1 = schema(hub).path("schemaVersion").asLong();
                early.execute("ALTER TABLE item ADD COLUMN note TEXT");
                SyncEngine first = SyncEngine.open(early);
                first.refreshSchema();
                early.execute("UPDATE item SET note = 'older' WHERE id = 1");
                first.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true)).hasSize(1);

                hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
                awaitColumns(hub, v1, "item", "note");
                SyncEngine second = SyncEngine.open(other);
                second.pullThenPush(Fixtures.transport(hub)); // follows: it has the column now
                Thread.sleep(5);
                other.execute("UPDATE item SET note = 'newer' WHERE id = 1");
                second.pullThenPush(Fixtures.transport(hub));

                Thread.sleep(5);
                first.pullThenPush(Fixtures.transport(hub)); // follows, queues the refused write again
                first.pullThenPush(Fixtures.transport(hub));
                second.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true)).isEmpty();
                assertThat(rows(hubDb, "SELECT id, name, note FROM item")).containsExactly("1|one|newer");
                assertThat(rows(early, "SELECT id, name, note FROM item")).containsExactly("1|one|newer");
                assertThat(rows(other, "SELECT id, name, note FROM item")).containsExactly("1|one|newer");
            }
        }
    }

    /**
     * VERSION_STRICT, found by the schema-change schedules (seed 9077): a device's write of a column its hub
     * does not have yet is refused; another device writes the row; the hub gains another column. The first
     * device's next pull sees the new schema and the other device's write of the row, a conflict it settles by
     * adopting the hub's row. Its refused write, queued again before that page was applied, was taken by that
     * conflict and never sent (marked queued again all the same), so once the hub had the column it never got
     * the device's value. Queued again after the pull, it is refused again while the hub lacks the column, and
     * goes through once the hub has it.
     */
    @org.junit.jupiter.api.Test
    void aRefusedWriteQueuedAgainIsNotTakenByAConflictOfThePullThatQueuesItUnderVersionStrict() throws Exception {
        try (ShuttleDatabase hubDb = itemHub(io.shuttlebridge.core.ConflictPolicy.VERSION_STRICT)) {
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase early = ShuttleDatabase.sqlite(dir.resolve("early.db"));
                    ShuttleDatabase other = ShuttleDatabase.sqlite(dir.resolve("other.db"))) {
                DeviceClone.run(early, Fixtures.transport(hub), ProgressListener.NONE);
                DeviceClone.run(other, Fixtures.transport(hub), ProgressListener.NONE);
                long v1 = schema(hub).path("schemaVersion").asLong();
                early.execute("ALTER TABLE item ADD COLUMN note TEXT");
                SyncEngine first = SyncEngine.open(early);
                first.refreshSchema();
                early.execute("UPDATE item SET note = 'mine' WHERE id = 1");
                first.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true))
                        .extracting(RejectedWrite::code)
                        .containsExactly(ErrorCode.SCHEMA_MISMATCH);
                other.execute("UPDATE item SET name = 'uno' WHERE id = 1");
                SyncEngine second = SyncEngine.open(other);
                second.pullThenPush(Fixtures.transport(hub));

                hubDb.execute("ALTER TABLE item ADD COLUMN price INTEGER");
                awaitColumns(hub, v1, "item", "price");
                long v2 = schema(hub).path("schemaVersion").asLong();
                // follows the schema, adopts the hub's row over its own refused write, queues that write again
                first.pullThenPush(Fixtures.transport(hub));
                assertThat(rows(early, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
                assertThat(first.rejectedWrites(true))
                        .as("queued again after the pull, and refused again: the hub still lacks the column")
                        .extracting(RejectedWrite::code)
                        .containsExactly(ErrorCode.SCHEMA_MISMATCH);

                hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
                awaitColumns(hub, v2, "item", "note");
                first.pullThenPush(Fixtures.transport(hub)); // follows, queues the refused write again
                first.pullThenPush(Fixtures.transport(hub));
                second.pullThenPush(Fixtures.transport(hub));
                assertThat(first.rejectedWrites(true)).isEmpty();
                assertThat(rows(hubDb, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
                assertThat(rows(early, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
                assertThat(rows(other, "SELECT id, name, note FROM item")).containsExactly("1|uno|mine");
            }
        }
    }

    /**
     * A device's new row with a column its hub does not have yet is refused; a whole resync then finds the
     * row pushed (at or below the push cursor) and missing from the hub's snapshot, and removed it as a row the
     * hub had deleted, though the hub never had it (found by the schema-change schedules, seed 9010). It stays
     * as the device wrote it, and reaches the hub once the hub has the column.
     */
    @org.junit.jupiter.api.Test
    void aResyncKeepsANewRowTheHubRefusedForWantOfAColumn() throws Exception {
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(dir.resolve("hub.db"))) {
            hubDb.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            hubDb.execute("INSERT INTO item VALUES (1, 'one')");
            Capture.enable(hubDb);
            try (HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
                HttpTransport transport = Fixtures.transport(hub);
                DeviceClone.run(device, transport, ProgressListener.NONE);
                long v1 = schema(hub).path("schemaVersion").asLong();
                device.execute("ALTER TABLE item ADD COLUMN note TEXT");
                SyncEngine engine = SyncEngine.open(device);
                engine.refreshSchema();
                device.execute("INSERT INTO item (id, name, note) VALUES (2, 'two', 'mine')");
                engine.pullThenPush(transport);
                assertThat(engine.rejectedWrites(true))
                        .extracting(RejectedWrite::code)
                        .containsExactly(ErrorCode.SCHEMA_MISMATCH);

                device.transaction(c -> {
                    io.shuttlebridge.core.internal.sync.HubMove.resyncNext(c, transport.hubNode());
                    return null;
                });
                engine.pullThenPush(transport); // the hub's whole snapshot, which lacks row 2
                assertThat(rows(device, "SELECT id, name, note FROM item ORDER BY id"))
                        .containsExactly("1|one|null", "2|two|mine");

                hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
                awaitColumns(hub, v1, "item", "note");
                engine.pullThenPush(transport); // follows, queues the refused write again
                engine.pullThenPush(transport);
                assertThat(engine.rejectedWrites(true)).isEmpty();
                assertThat(rows(hubDb, "SELECT id, name, note FROM item ORDER BY id"))
                        .containsExactly("1|one|null", "2|two|mine");
            }
        }
    }

    /** A SQLite hub whose table item (id, name) holds row 1 'one', captured under {@code policy}. */
    private ShuttleDatabase itemHub(io.shuttlebridge.core.ConflictPolicy policy) {
        ShuttleDatabase hubDb = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        hubDb.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        hubDb.execute("INSERT INTO item VALUES (1, 'one')");
        Capture.enable(
                hubDb,
                io.shuttlebridge.core.capture.CaptureOptions.builder()
                        .policy(policy)
                        .build(),
                ProgressListener.NONE);
        return hubDb;
    }

    private static JsonNode column(JsonNode table, String name) {
        for (JsonNode c : table.path("columns")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no column " + name + " in " + table);
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void aDroppedColumnIsRefusedAndTheTableKeepsItsShape(String kind) throws Exception {
        try (ShuttleDatabase hubDb = hub(kind)) {
            hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
            SchemaChanges added = Capture.checkSchema(hubDb);
            assertThat(added.safe()).singleElement().asString().contains("\"item\".\"note\"");
            assertThat(added.isSafe()).isTrue();
            SchemaChanges applied = Capture.applySchema(hubDb);
            assertThat(applied.changed()).isTrue();
            assertThat(Capture.checkSchema(hubDb).safe()).isEmpty();

            if (kind.equals("sqlite")) {
                // SQLite itself refuses to drop a column the capture triggers read
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> hubDb.execute("ALTER TABLE item DROP COLUMN note"))
                        .hasMessageContaining("no such column: OLD.note");
                assertThat(Capture.checkSchema(hubDb).isSafe()).isTrue();
                return;
            }
            hubDb.execute("ALTER TABLE item DROP COLUMN note");
            SchemaChanges dropped = Capture.checkSchema(hubDb);
            assertThat(dropped.isSafe()).isFalse();
            assertThat(dropped.refused())
                    .singleElement()
                    .asString()
                    .contains("column \"item\".\"note\" was dropped or renamed");
            SchemaChanges refused = Capture.applySchema(hubDb);
            assertThat(refused.changed()).isFalse();
            assertThat(refused.version()).isEqualTo(applied.version());
            SyncEngine engine = SyncEngine.open(hubDb);
            assertThat(engine.refreshSchema().refused()).hasSize(1);
            assertThat(engine.schemaVersion()).as("the old shape is served").isEqualTo(applied.version());

            hubDb.execute("ALTER TABLE item ADD COLUMN note TEXT");
            assertThat(Capture.checkSchema(hubDb).isSafe()).isTrue();
        }
    }

    /**
     * A renamed column, accepted on the hub ({@link Capture#acceptSchema}): the running hub serves the
     * table at its new shape under a new generation; a device clones that table again on its next sync,
     * keeps its unpushed writes to it as rejected writes (a retry writes what still fits), and syncs on.
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void anAcceptedDestructiveChangeHasDevicesCloneTheTableAgain(String kind) throws Exception {
        ShuttleDatabase hubDb = hub(kind);
        SyncEngine hubEngine = SyncEngine.open(hubDb);
        try (hubDb;
                HubServer hub = Fixtures.start(hubEngine);
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            long v0 = schema(hub).path("schemaVersion").asLong(); // before the change: the hub may take it at once
            hubDb.execute("CREATE TABLE part (id BIGINT PRIMARY KEY, item_id BIGINT REFERENCES item(id))");
            hubDb.execute("INSERT INTO item VALUES (2, 'two')");
            awaitColumns(hub, v0, "part", "id", "item_id");
            hubDb.execute("INSERT INTO part VALUES (1, 2)");
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            device.execute("UPDATE item SET name = 'uno' WHERE id = 1"); // offline, not pushed
            device.execute("INSERT INTO item VALUES (9, 'nine')");

            hubDb.execute("ALTER TABLE item RENAME COLUMN name TO title");
            assertThat(Capture.checkSchema(hubDb).refused())
                    .singleElement()
                    .asString()
                    .contains("column \"item\".\"name\" was renamed to \"title\"");
            // the running hub has seen the rename (as its feed-watch tick does) before it is accepted
            hubEngine.refreshSchema();
            long v1 = schema(hub).path("schemaVersion").asLong();
            SchemaChanges accepted = Capture.acceptSchema(hubDb, "item");
            assertThat(accepted.changed()).isTrue();
            assertThat(accepted.safe()).anySatisfy(l -> assertThat(l).contains("devices clone it again"));
            assertThat(Capture.checkSchema(hubDb).items()).isEmpty();
            awaitColumns(hub, v1, "item", "title");
            assertThat(table(schema(hub), "item").path("generation").asLong()).isEqualTo(1);
            hubDb.execute("UPDATE item SET title = 'two!' WHERE id = 2");

            engine.pullThenPush(transport);
            assertThat(rows(device, "SELECT id, title FROM item ORDER BY id")).containsExactly("1|one", "2|two!");
            assertThat(rows(device, "SELECT id, item_id FROM part")).containsExactly("1|2");
            List<RejectedWrite> kept = engine.rejectedWrites(true);
            assertThat(kept)
                    .extracting(RejectedWrite::code)
                    .containsOnly(ErrorCode.SCHEMA_MISMATCH)
                    .hasSize(2);
            assertThat(kept).anySatisfy(w -> assertThat(w.values()).containsEntry("name", "uno"));

            // a retry writes what fits the new shape; the device syncs on both ways
            for (RejectedWrite w : kept) {
                engine.retryRejected(w.id());
            }
            device.execute("UPDATE item SET title = 'neun' WHERE id = 9");
            hubDb.execute("UPDATE item SET title = 'eins' WHERE id = 1");
            engine.pullThenPush(transport);
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, title FROM item ORDER BY id"))
                    .containsExactly("1|eins", "2|two!", "9|neun");
            assertThat(rows(device, "SELECT id, title FROM item ORDER BY id"))
                    .containsExactly("1|eins", "2|two!", "9|neun");
            assertThat(engine.rejectedWrites(true)).isEmpty();

            // a device cloned now holds the new generation: nothing to clone again
            try (ShuttleDatabase fresh = ShuttleDatabase.sqlite(dir.resolve("fresh.db"))) {
                DeviceClone.run(fresh, Fixtures.transport(hub), ProgressListener.NONE);
                fresh.execute("INSERT INTO item VALUES (10, 'ten')");
                SyncEngine.open(fresh).pullThenPush(Fixtures.transport(hub));
                assertThat(rows(fresh, "SELECT count(*) FROM item")).containsExactly("4");
                assertThat(rows(hubDb, "SELECT title FROM item WHERE id = 10")).containsExactly("ten");
            }
        }
    }

    /**
     * A key column renamed with plain SQL on a running hub: on PostgreSQL and MariaDB the application's writes
     * to the table are refused, naming the column and what to do, until the change is accepted; accepted, the
     * hub captures the table under its new key and a device clones it again and syncs on both ways.
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void aRenamedKeyColumnAcceptedHasDevicesSyncTheTableUnderItsNewKey(String kind) throws Exception {
        ShuttleDatabase hubDb = hub(kind);
        try (hubDb;
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();

            hubDb.execute("ALTER TABLE item RENAME COLUMN id TO item_id");
            if (!kind.equals("sqlite")) { // SQLite renames the column in its triggers itself
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> hubDb.execute("UPDATE item SET name = 'uno' WHERE item_id = 1"))
                        .hasMessageContaining("lost its key column")
                        .hasMessageContaining("--accept-destructive item");
            }
            assertThat(Capture.checkSchema(hubDb).refused())
                    .singleElement()
                    .asString()
                    .contains("column \"item\".\"id\" of the primary key was renamed to \"item_id\"");
            Capture.acceptSchema(hubDb, "item");
            awaitColumns(hub, v1, "item", "item_id");
            hubDb.execute("UPDATE item SET name = 'uno' WHERE item_id = 1");
            hubDb.execute("INSERT INTO item VALUES (2, 'two')");

            engine.pullThenPush(transport);
            assertThat(rows(device, "SELECT item_id, name FROM item ORDER BY item_id"))
                    .containsExactly("1|uno", "2|two");
            device.execute("INSERT INTO item VALUES (3, 'three')");
            device.execute("UPDATE item SET name = 'dos' WHERE item_id = 2");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT item_id, name FROM item ORDER BY item_id"))
                    .containsExactly("1|uno", "2|dos", "3|three");
        }
    }

    /** A primary key changed on a PostgreSQL hub, accepted: the table's rows are captured again under the new key. */
    @org.junit.jupiter.api.Test
    void anAcceptedKeyChangeCapturesTheRowsAgainUnderTheNewKey() throws Exception {
        try (ShuttleDatabase hubDb = hub("postgresql");
                HubServer hub = Fixtures.start(SyncEngine.open(hubDb));
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("device.db"))) {
            hubDb.execute("UPDATE item SET name = 'one' WHERE id = 1");
            HttpTransport transport = Fixtures.transport(hub);
            DeviceClone.run(device, transport, ProgressListener.NONE);
            SyncEngine engine = SyncEngine.open(device);
            long v1 = schema(hub).path("schemaVersion").asLong();

            hubDb.execute("ALTER TABLE item DROP CONSTRAINT item_pkey");
            hubDb.execute("ALTER TABLE item ALTER COLUMN name SET NOT NULL");
            hubDb.execute("ALTER TABLE item ADD PRIMARY KEY (id, name)");
            assertThat(Capture.checkSchema(hubDb).refused())
                    .anySatisfy(l -> assertThat(l).contains("primary key"));
            SchemaChanges accepted = Capture.acceptSchema(hubDb, "item");
            assertThat(accepted.safe()).anySatisfy(l -> assertThat(l).contains("(generation 1, 1 rows)"));
            awaitNewVersion(hub, v1, "item");
            hubDb.execute("INSERT INTO item VALUES (1, 'uno')"); // another row under the new key

            engine.pullThenPush(transport);
            assertThat(rows(device, "SELECT id, name FROM item ORDER BY id, name"))
                    .containsExactly("1|one", "1|uno");
            device.execute("INSERT INTO item VALUES (1, 'eins')");
            engine.pullThenPush(transport);
            assertThat(rows(hubDb, "SELECT id, name FROM item ORDER BY id, name"))
                    .containsExactly("1|eins", "1|one", "1|uno");
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void acceptingIsRefusedWhenThereIsNothingDestructiveOrNoSuchTable(String kind) {
        try (ShuttleDatabase hubDb = hub(kind)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Capture.acceptSchema(hubDb, "item"))
                    .hasMessageContaining("has no destructive change to accept");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Capture.acceptSchema(hubDb, "nope"))
                    .hasMessageContaining("table \"nope\" is not synced here");
        }
    }

    private static JsonNode table(JsonNode schema, String name) {
        for (JsonNode t : schema.path("tables")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no table " + name + " in " + schema);
    }

    /** Pushes as a device of an older release would: it never reads the hub's new schema. */
    private static void pushWithoutFollowing(SyncEngine engine, HttpTransport http) {
        engine.pullThenPush(new Following(http) {
            @Override
            public io.shuttlebridge.core.sync.PullResult pull(String forNode, long since, int limit) {
                var page = http.pull(forNode, since, limit);
                // an old device cannot apply pages with columns it lacks: it takes none here
                return new io.shuttlebridge.core.sync.PullResult(List.of(), since, false, false);
            }

            @Override
            public boolean followSchema(SyncEngine device) {
                return false;
            }
        });
    }

    private void awaitNewVersion(HubServer hub, long before, String table) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (schema(hub).path("schemaVersion").asLong() != before) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub did not take the change of " + table);
    }

    private long awaitNewVersion(HubServer hub, long before) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode doc = schema(hub); // one document: the version it says is that of the tables it lists
            long v = doc.path("schemaVersion").asLong();
            if (v != before && columns(doc, "tag").size() == 2) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub did not take the schema change");
    }

    /** Waits for the hub to serve a schema version other than {@code before} with {@code table}'s new columns. */
    private void awaitColumns(HubServer hub, long before, String table, String... added) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode doc = schema(hub);
            if (doc.path("schemaVersion").asLong() != before
                    && columns(doc, table).containsAll(List.of(added))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the hub did not take the new columns of " + table);
    }

    private JsonNode schema(HubServer hub) throws Exception {
        return get(hub, "/v1/schema");
    }

    private JsonNode pull(HubServer hub) throws Exception {
        return get(hub, "/v1/sync/pull?since=0&node=00000000-0000-0000-0000-0000000000aa");
    }

    private JsonNode get(HubServer hub, String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(hub.url() + path))
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
}
