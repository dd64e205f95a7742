package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snapshot of a subject under read rules (DESIGN §9) is read from the rows it may read, page by
 * page: exactly those rows and the tombstones of its tables, parents before children, hidden columns
 * left out, a page asked again answered the same, and the last page's cursor one its pulls go on
 * from, so that what changed while it paged reaches it. Both hub databases.
 */
class RulesSnapshotIT {
    private static final String RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
                hidden_columns: [internal_cost]
              project_member:
                read:  "user_id = :sub"
              catalog:
                read:  all
              note:
                read:  "owner = :sub"
              event:
                read:  "owner = :sub"
            """;
    private static final int PAGE = 4;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pagesHoldExactlyTheReadableRowsParentsFirstAndRepeatTheSame(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            Capture.enable(db);
            try (HubServer hub = serve(db)) {
                // tombstones: one of alice's projects, one of bob's (deleted once the hub keeps their images)
                db.execute("DELETE FROM task WHERE id IN (101, 201)");
                HttpTransport alice = transport(hub, "alice");
                String node = UUID.randomUUID().toString();
                long horizon = SyncEngine.open(db).feedPosition();

                List<Change> all = new ArrayList<>();
                List<Long> cursors = new ArrayList<>();
                long after = 0;
                while (true) {
                    PullResult page = alice.snapshot(node, after, PAGE);
                    assertThat(page.resyncRequired()).isFalse();
                    assertThat(page.changes()).hasSizeLessThanOrEqualTo(PAGE);
                    if (page.more()) {
                        // a page asked again is answered the same
                        assertThat(alice.snapshot(node, after, PAGE).changes()).isEqualTo(page.changes());
                    }
                    all.addAll(page.changes());
                    cursors.add(page.next());
                    after = page.next();
                    if (!page.more()) {
                        break;
                    }
                }
                assertThat(cursors.getLast()).isEqualTo(horizon);
                assertThat(cursors).doesNotHaveDuplicates();

                assertThat(keys(all, "project", Op.UPSERT)).containsExactly("1", "3");
                assertThat(keys(all, "task", Op.UPSERT)).containsExactly("100", "102", "103", "300", "301");
                assertThat(keys(all, "project_member", Op.UPSERT)).containsExactly("1|alice", "3|alice");
                assertThat(keys(all, "catalog", Op.UPSERT)).containsExactly("eraser", "ink", "pen");
                assertThat(keys(all, "note", Op.UPSERT))
                        .containsExactly(
                                "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000c");
                // the tombstones of the rows it could read as they were deleted, not the others'
                assertThat(keys(all, "task", Op.DELETE)).containsExactly("101");
                assertThat(all.stream().filter(Change::isDelete).toList())
                        .allMatch(ch -> all.indexOf(ch) >= all.size() - 1);
                // parents first: every project before any task or membership
                int lastProject = all.indexOf(all.stream()
                        .filter(ch -> ch.table().equals("project"))
                        .toList()
                        .getLast());
                assertThat(all.subList(0, lastProject + 1))
                        .allMatch(
                                ch -> !ch.table().equals("task") && !ch.table().equals("project_member"));
                assertThat(all.stream().filter(ch -> ch.table().equals("task") && !ch.isDelete()))
                        .allMatch(ch -> !ch.values().containsKey("internal_cost")
                                && ch.values().containsKey("title"));
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void whatChangesWhileADeviceClonesReachesItWithItsNextSync(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            Capture.enable(db);
            try (HubServer hub = serve(db);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
                HttpTransport alice = transport(hub, "alice");
                AtomicInteger pages = new AtomicInteger();
                ProgressListener meanwhile = (task, done, total) -> {
                    if (pages.incrementAndGet() == 2) {
                        // rows passed already and rows still ahead change on the hub
                        db.execute("UPDATE project SET name = 'north, renamed' WHERE id = 1");
                        db.execute("UPDATE task SET title = 'changed' WHERE id IN (100, 301)");
                        db.execute("DELETE FROM task WHERE id = 102");
                        db.execute(
                                "INSERT INTO task VALUES (104, 1, 'new in north', 1.00), (204, 2, 'not hers', 1.00)");
                        db.execute("INSERT INTO catalog VALUES ('aaa', 0.10)");
                        db.execute("INSERT INTO note VALUES ('00000000-0000-0000-0000-00000000000d', 'alice', 'd'),"
                                + " ('00000000-0000-0000-0000-00000000000e', 'bob', 'e')");
                        db.execute("UPDATE event SET owner = 'alice' WHERE n = 1"); // bob's row becomes hers
                        db.execute("INSERT INTO event VALUES ('2025-03-04', 1, 'alice'), ('2025-03-04', 2, 'bob')");
                    }
                };
                DeviceClone.run(device, alice, meanwhile);
                assertThat(pages.get()).isGreaterThan(3);
                SyncEngine.open(device).pullThenPush(alice);

                assertThat(rows(device, "SELECT id || '|' || name FROM project ORDER BY id"))
                        .containsExactly("1|north, renamed", "3|west");
                assertThat(rows(device, "SELECT id || '|' || title FROM task ORDER BY id"))
                        .containsExactly(
                                "100|changed", "101|a1", "103|a3", "104|new in north", "300|w0", "301|changed");
                assertThat(rows(device, "SELECT sku FROM catalog ORDER BY sku"))
                        .containsExactly("aaa", "eraser", "ink", "pen");
                assertThat(rows(device, "SELECT project_id || '|' || user_id FROM project_member ORDER BY 1"))
                        .containsExactly("1|alice", "3|alice");
                assertThat(rows(device, "SELECT body FROM note ORDER BY body")).containsExactly("a", "c", "d");
                assertThat(rows(device, "SELECT day || '|' || n FROM event ORDER BY day, n"))
                        .containsExactly(
                                "2025-02-28|9",
                                "2025-03-01|1",
                                "2025-03-01|2",
                                "2025-03-01|3",
                                "2025-03-02|1",
                                "2025-03-04|1");
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aCursorGoesOnThroughAPullAndOnlyForItsNode(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            Capture.enable(db);
            try (HubServer hub = serve(db)) {
                HttpTransport alice = transport(hub, "alice");
                String node = UUID.randomUUID().toString();
                PullResult first = alice.snapshot(node, 0, PAGE);
                assertThat(first.more()).isTrue();

                // a device that stopped part-way and then syncs goes on with the snapshot
                PullResult next = alice.snapshot(node, first.next(), PAGE);
                assertThat(alice.pull(node, first.next(), PAGE).changes()).isEqualTo(next.changes());

                // another node, or a cursor the hub never handed out: start over
                assertThat(alice.snapshot(UUID.randomUUID().toString(), first.next(), PAGE)
                                .resyncRequired())
                        .isTrue();
                assertThat(alice.snapshot(node, (1L << 52) + 12_345, PAGE).resyncRequired())
                        .isTrue();
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSnapshotWhoseCursorTheHubForgotStartsOver(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            Capture.enable(db);
            try (HubServer hub = serve(db);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
                HttpTransport alice = transport(hub, "alice");
                DeviceClone.run(device, alice, ProgressListener.NONE);
                // the device falls behind the hub's purge horizon: its next sync takes the snapshot again
                db.execute("DELETE FROM task WHERE id = 103");
                db.execute("UPDATE task SET title = 'changed' WHERE id = 300");
                long position = SyncEngine.open(db).feedPosition();
                db.execute("INSERT INTO _shuttle_meta (key, value) VALUES ('purged_through', '" + position + "')");
                AtomicInteger starts = new AtomicInteger();
                Transport forgetful = new Transport() {
                    @Override
                    public String hubNode() {
                        return alice.hubNode();
                    }

                    @Override
                    public PushResult push(String fromNode, List<Change> changes) {
                        return alice.push(fromNode, changes);
                    }

                    @Override
                    public PullResult pull(String forNode, long since, int limit) {
                        return alice.pull(forNode, since, limit);
                    }

                    @Override
                    public PullResult snapshot(String forNode, long after, int limit) {
                        PullResult page = alice.snapshot(forNode, after, limit);
                        if (after == 0 && starts.incrementAndGet() == 1) {
                            // the hub loses the cursors it handed out (restored from a backup, say)
                            db.execute("DELETE FROM _shuttle_meta WHERE key LIKE 'snapshot:%'");
                        }
                        return page;
                    }
                };
                SyncEngine.open(device).pullThenPush(forgetful);

                assertThat(starts.get()).isEqualTo(2);
                assertThat(rows(device, "SELECT id || '|' || title FROM task ORDER BY id"))
                        .containsExactly("100|a0", "101|a1", "102|a2", "300|changed", "301|w1");
                assertThat(rows(device, "SELECT day || '|' || n FROM event ORDER BY day, n"))
                        .containsExactly("2025-02-28|9", "2025-03-01|2", "2025-03-01|3", "2025-03-02|1");
            }
        }
    }

    /** The §9 example with three projects (alice in 1 and 3, bob in 2), their tasks, a catalog and notes. */
    private ShuttleDatabase hub(String kind) throws Exception {
        ShuttleDatabase db = RulesHub.create(kind, dir);
        db.execute("CREATE TABLE note (id " + (kind.equals("sqlite") ? "TEXT" : "UUID")
                + " PRIMARY KEY, owner TEXT NOT NULL, body TEXT)");
        db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south'), (3, 'west')");
        db.execute(
                "INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner'), (3, 'alice', 'member')");
        db.execute("INSERT INTO task VALUES (100, 1, 'a0', 1.00), (101, 1, 'a1', 1.00), (102, 1, 'a2', 1.00),"
                + " (103, 1, 'a3', 1.00), (200, 2, 'b0', 2.00), (201, 2, 'b1', 2.00), (202, 2, 'b2', 2.00),"
                + " (300, 3, 'w0', 3.00), (301, 3, 'w1', 3.00)");
        db.execute("INSERT INTO catalog VALUES ('pen', 1.50), ('ink', 0.50), ('eraser', 0.20)");
        db.execute("INSERT INTO note VALUES ('00000000-0000-0000-0000-00000000000c', 'alice', 'c'),"
                + " ('00000000-0000-0000-0000-00000000000b', 'bob', 'b'),"
                + " ('00000000-0000-0000-0000-00000000000a', 'alice', 'a')");
        // a composite key of a date and an integer
        db.execute("CREATE TABLE event (day " + (kind.equals("sqlite") ? "TEXT" : "DATE")
                + " NOT NULL, n BIGINT NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (day, n))");
        db.execute("INSERT INTO event VALUES ('2025-03-02', 1, 'alice'), ('2025-03-01', 2, 'alice'),"
                + " ('2025-03-01', 1, 'bob'), ('2025-03-01', 3, 'alice'), ('2025-02-28', 9, 'alice')");
        return db;
    }

    private static HubServer serve(ShuttleDatabase db) {
        return HubServer.builder(SyncEngine.open(db))
                .host("127.0.0.1")
                .port(0)
                .authenticator(JwtAuthenticator.hs256(RulesHub.SECRET).build())
                .rules(SyncRules.parse(RULES, "rules.yaml"))
                .maxBatch(PAGE)
                .start();
    }

    private static HttpTransport transport(HubServer hub, String sub) {
        return HttpTransport.builder(hub.url()).token(RulesHub.token(sub)).build();
    }

    /** The keys of the changes of {@code table} doing {@code op}, parts joined by '|', in the order they came. */
    private static List<String> keys(List<Change> changes, String table, Op op) {
        return changes.stream()
                .filter(ch -> ch.table().equals(table) && ch.op() == op)
                .map(ch ->
                        String.join("|", ch.key().stream().map(String::valueOf).toList()))
                .toList();
    }

    private static List<String> rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
