package io.shuttlebridge.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.internal.DeviceSchema;
import io.shuttlebridge.client.internal.RecloneStaging;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.protocol.SchemaCodec;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RejectedWrite;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device clones a table again (the hub took it again after a destructive change) through a staging table
 * in its own file ({@link RecloneStaging}): the hub's pages are kept there one by one as they arrive, while
 * the application still reads the old table; a re-clone that failed or was cut short leaves the old table as
 * it was, and the next one drops what was staged and completes.
 */
class TableRecloneIT {
    private static final int ROWS = 20_000;
    /** The hub's pages: its batch limit ({@link Fixtures#start}). */
    private static final int PAGE = 100;

    @TempDir
    Path dir;

    private Path deviceFile;

    @Test
    void theHubsPagesAreStagedOneByOneWhileTheApplicationReadsTheOldTable() throws Exception {
        ShuttleDatabase hubDb = hub();
        SyncEngine hubEngine = SyncEngine.open(hubDb);
        deviceFile = dir.resolve("device.db");
        try (hubDb;
                HubServer hub = Fixtures.start(hubEngine);
                ShuttleDatabase device = ShuttleDatabase.sqlite(deviceFile)) {
            HttpTransport http = Fixtures.transport(hub);
            SyncEngine engine = cloneThenAccept(hubDb, hubEngine, device, http);
            List<Long> stagedBefore = new ArrayList<>();
            Transport watched = new Watched(http, page -> {
                stagedBefore.add(count("SELECT count(*) FROM " + RecloneStaging.TABLE));
                assertThat(rowsOf("SELECT name FROM item WHERE id = 1"))
                        .as("the application reads the old table meanwhile")
                        .containsExactly("uno");
            });

            DeviceSchema.follow(engine, watched, hubSchema(http));

            // every page of rows is in the file before the next one is asked for (the last page may be empty)
            assertThat(stagedBefore.size()).isBetween(ROWS / PAGE, ROWS / PAGE + 1);
            for (int i = 0; i < stagedBefore.size(); i++) {
                assertThat(stagedBefore.get(i))
                        .as("pages staged before page %d", i)
                        .isEqualTo(Math.min(i, ROWS / PAGE));
            }
            assertTaken(device, engine, http);
        }
    }

    @Test
    void aMovedHubPositionStartsTheStagingAgain() throws Exception {
        ShuttleDatabase hubDb = hub();
        SyncEngine hubEngine = SyncEngine.open(hubDb);
        deviceFile = dir.resolve("device.db");
        try (hubDb;
                HubServer hub = Fixtures.start(hubEngine);
                ShuttleDatabase device = ShuttleDatabase.sqlite(deviceFile)) {
            HttpTransport http = Fixtures.transport(hub);
            SyncEngine engine = cloneThenAccept(hubDb, hubEngine, device, http);
            HubSchema schema = hubSchema(http);

            // a hub whose position keeps moving is given up on after a few restarts: the old table stays, nothing
            // staged is left
            List<Integer> asked = new ArrayList<>();
            Transport restless = new Watched(http, asked::add, page -> page % 2 == 1);
            assertThatThrownBy(() -> DeviceSchema.follow(engine, restless, schema))
                    .hasMessageContaining("keeps answering the snapshot of \"item\" with 'resync'");
            assertThat(asked).as("a page, then 'resync', four times").hasSize(8);
            assertThat(count("SELECT count(*) FROM sqlite_master WHERE name = '" + RecloneStaging.TABLE + "'"))
                    .isZero();
            assertOldTable();

            // it moved once: the pages staged so far are dropped and the snapshot read again from its start
            List<Long> stagedBefore = new ArrayList<>();
            Transport moved = new Watched(
                    http,
                    page -> stagedBefore.add(count("SELECT count(*) FROM " + RecloneStaging.TABLE)),
                    page -> page == 3);
            DeviceSchema.follow(engine, moved, schema);
            assertThat(stagedBefore.subList(0, 6)).containsExactly(0L, 1L, 2L, 3L, 0L, 1L);
            assertTaken(device, engine, http);
        }
    }

    @Test
    void aReCloneCutShortLeavesTheOldTableAndTheNextOneDropsWhatWasStaged() throws Exception {
        ShuttleDatabase hubDb = hub();
        SyncEngine hubEngine = SyncEngine.open(hubDb);
        deviceFile = dir.resolve("device.db");
        try (hubDb;
                HubServer hub = Fixtures.start(hubEngine);
                ShuttleDatabase device = ShuttleDatabase.sqlite(deviceFile)) {
            HttpTransport http = Fixtures.transport(hub);
            SyncEngine engine = cloneThenAccept(hubDb, hubEngine, device, http);
            HubSchema schema = hubSchema(http);

            // the hub cannot be reached half-way: the staged pages are dropped, the old table stays
            Transport unreachable = new Watched(http, page -> {
                if (page == 3) {
                    throw new ShuttleException(ErrorCode.TRANSPORT, "the hub went away");
                }
            });
            assertThatThrownBy(() -> DeviceSchema.follow(engine, unreachable, schema))
                    .hasMessageContaining("the hub went away");
            assertThat(count("SELECT count(*) FROM sqlite_master WHERE name = '" + RecloneStaging.TABLE + "'"))
                    .isZero();
            assertOldTable();

            // the process dies half-way (nothing of it runs any more): what it staged is left in the file
            Transport killed = new Watched(http, page -> {
                if (page == 4) {
                    throw new Killed();
                }
            });
            assertThatThrownBy(() -> DeviceSchema.follow(engine, killed, schema))
                    .isInstanceOf(Killed.class);
            assertThat(count("SELECT count(*) FROM " + RecloneStaging.TABLE)).isEqualTo(4);
            // and a page of a row the hub no longer has, which must not be taken
            Change stale = new Change(
                    "item",
                    List.of(999_999L),
                    Op.UPSERT,
                    Map.of("id", 999_999L, "title", "stale"),
                    1,
                    "x",
                    1,
                    0,
                    Map.of());
            Fixtures.sql(
                    deviceFile,
                    "INSERT INTO " + RecloneStaging.TABLE + " VALUES (5, x'"
                            + java.util.HexFormat.of()
                                    .formatHex(WireCodec.pullResultBytes(
                                            new PullResult(List.of(stale), 0, false, false), -1))
                            + "')");
            assertOldTable();

            // the next sync clones the table again from the start and drops the staging table
            SyncEngine next = SyncEngine.open(device);
            next.pullThenPush(http);
            assertTaken(device, next, http);
            assertThat(rowsOf("SELECT count(*) FROM item WHERE id = 999999")).containsExactly("0");
        }
    }

    /** What a process that dies leaves: nothing catches it. */
    private static final class Killed extends Error {
        Killed() {
            super("killed");
        }
    }

    private ShuttleDatabase hub() {
        ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        db.execute("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
        db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                + " INSERT INTO item SELECT i, 'item ' || i FROM n");
        db.execute("CREATE TABLE part (id BIGINT PRIMARY KEY, item_id BIGINT REFERENCES item(id))");
        db.execute("INSERT INTO part VALUES (1, 2), (2, " + ROWS + ")");
        Capture.enable(db);
        return db;
    }

    /** Clones the device, writes to it offline, then has the hub take {@code item} again renamed. */
    private SyncEngine cloneThenAccept(
            ShuttleDatabase hubDb, SyncEngine hubEngine, ShuttleDatabase device, HttpTransport http) throws Exception {
        DeviceClone.run(device, http, ProgressListener.NONE);
        SyncEngine engine = SyncEngine.open(device);
        device.execute("UPDATE item SET name = 'uno' WHERE id = 1"); // not pushed
        hubDb.execute("ALTER TABLE item RENAME COLUMN name TO title");
        hubEngine.refreshSchema(); // the running hub has seen the rename before it is accepted
        assertThat(Capture.acceptSchema(hubDb, "item").changed()).isTrue();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (generation(hubSchema(http)) != 1) {
            assertThat(System.nanoTime())
                    .as("the hub serves the new generation")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        return engine;
    }

    private static long generation(HubSchema schema) {
        return schema.tables().stream()
                .filter(t -> t.name().equals("item"))
                .findFirst()
                .orElseThrow()
                .generation();
    }

    private static HubSchema hubSchema(HttpTransport http) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(http.hub().resolve("/v1/schema"))
                                .header("Authorization", "Bearer " + Fixtures.TOKEN)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return SchemaCodec.read(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body()));
    }

    private void assertOldTable() throws Exception {
        assertThat(rowsOf("SELECT name FROM item WHERE id IN (1, 2) ORDER BY id"))
                .containsExactly("uno", "item 2");
        assertThat(count("SELECT count(*) FROM item")).isEqualTo(ROWS);
    }

    private void assertTaken(ShuttleDatabase device, SyncEngine engine, HttpTransport http) throws Exception {
        assertThat(count("SELECT count(*) FROM item")).isEqualTo(ROWS);
        assertThat(rowsOf("SELECT id, title FROM item WHERE id IN (1, " + ROWS + ") ORDER BY id"))
                .containsExactly("1|item 1", ROWS + "|item " + ROWS);
        assertThat(rowsOf("SELECT id, item_id FROM part ORDER BY id")).containsExactly("1|2", "2|" + ROWS);
        assertThat(count("SELECT count(*) FROM sqlite_master WHERE name = '" + RecloneStaging.TABLE + "'"))
                .as("the staging table is dropped")
                .isZero();
        List<RejectedWrite> kept = engine.rejectedWrites(true);
        assertThat(kept).singleElement().satisfies(w -> {
            assertThat(w.code()).isEqualTo(ErrorCode.SCHEMA_MISMATCH);
            assertThat(w.values()).containsEntry("name", "uno");
        });
        // the device syncs on in the new shape
        device.execute("UPDATE item SET title = 'eins' WHERE id = 1");
        engine.pullThenPush(http);
        assertThat(rowsOf("SELECT title FROM item WHERE id = 1")).containsExactly("eins");
    }

    private long count(String sql) {
        return Long.parseLong(rowsOf(sql).getFirst());
    }

    /** A query on a connection of its own, as the application reads. */
    private List<String> rowsOf(String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + deviceFile);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    b.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                out.add(b.toString());
            }
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
        return out;
    }

    /** The hub, with a look at each snapshot page the device asks for (numbered from 0) before it is fetched. */
    private static final class Watched implements Transport {
        private final HttpTransport http;
        private final IntConsumer beforePage;
        private final IntPredicate resync;
        private int pages;

        Watched(HttpTransport http, IntConsumer beforePage) {
            this(http, beforePage, page -> false);
        }

        /** Answers 'resync' (the hub's position moved) instead of the pages {@code resync} accepts. */
        Watched(HttpTransport http, IntConsumer beforePage, IntPredicate resync) {
            this.http = http;
            this.beforePage = beforePage;
            this.resync = resync;
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
        public PullResult pull(String forNode, long since, int limit) {
            return http.pull(forNode, since, limit);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit) {
            return http.snapshot(forNode, after, limit);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
            int page = pages++;
            beforePage.accept(page);
            return resync.test(page) ? PullResult.resync(after) : http.snapshot(forNode, after, limit, tables);
        }
    }
}
