package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled hub reads the next page of a snapshot under rules while the device takes one, and answers it when
 * exactly that page is asked for: the same pages as read when asked, what changed meanwhile reaching the device
 * with its next sync, and never for another node, other claims, another page size, or a cursor the hub no longer
 * keeps.
 */
class RulesSnapshotReadAheadIT {
    private static final String RULES = """
            version: 1
            claims: [team]
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
                read:  "sku <> :team"
            """;
    private static final int PAGE = 5;
    private static final String PROPERTY = "shuttle.hub.snapshotReadAhead";

    @TempDir
    Path dir;

    private ShuttleDatabase db;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void hubDatabase() throws Exception {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase setup = ShuttleDatabase.open(url)) {
            RulesHub.createTables(setup);
            setup.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south'), (3, 'west')");
            setup.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner'),"
                    + " (3, 'alice', 'member')");
            // 60 tasks in three projects, alice's every third and every third but one
            setup.execute("INSERT INTO task SELECT g, 1 + g % 3, 't' || g, g / 100.0 FROM generate_series(1, 60) g");
            setup.execute("INSERT INTO catalog VALUES ('pen', 1.50), ('ink', 0.50), ('eraser', 0.20)");
        }
        db = HubDatabases.open(
                url, HubDatabases.DEFAULT_POOL); // pooled, as shuttle serve opens it: pages are read ahead
        Capture.enable(db);
    }

    @AfterEach
    void close() {
        System.clearProperty(PROPERTY);
        db.close();
    }

    @Test
    void pagesReadAheadAreThePagesReadWhenAskedAndAreUsed() {
        List<List<Change>> ahead;
        List<List<Change>> asked;
        try (HubServer hub = serve()) {
            ahead = pages(transport(hub, "alice", "pen"), UUID.randomUUID().toString(), PAGE);
            // every page after the first was read ahead while the one before was taken
            assertThat(count("used")).isEqualTo(ahead.size() - 1);
            assertThat(count("unused")).isZero();
        }
        System.setProperty(PROPERTY, "false");
        try (HubServer hub = serve()) {
            asked = pages(transport(hub, "alice", "pen"), UUID.randomUUID().toString(), PAGE);
        }
        assertThat(ahead).hasSizeGreaterThan(5).isEqualTo(asked);
        assertThat(count("used")).isEqualTo(ahead.size() - 1); // none read ahead with the property false
        List<Change> all = ahead.stream().flatMap(List::stream).toList();
        assertThat(all.stream().filter(ch -> ch.table().equals("task")).count()).isEqualTo(40);
        assertThat(all)
                .filteredOn(ch -> ch.table().equals("task"))
                .allMatch(ch -> !ch.values().containsKey("internal_cost"));
        assertThat(all)
                .filteredOn(ch -> ch.table().equals("catalog"))
                .extracting(ch -> ch.key().get(0))
                .containsExactlyInAnyOrder("eraser", "ink");
    }

    @Test
    void whatChangesWhileADeviceClonesReachesItWithItsNextSync() throws Exception {
        try (HubServer hub = serve();
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
            HttpTransport alice = transport(hub, "alice", "pen");
            AtomicInteger pages = new AtomicInteger();
            ProgressListener meanwhile = (task, done, total) -> {
                if (pages.incrementAndGet() == 3) {
                    // the next page was read ahead: rows in it and after it change before it is asked for
                    db.execute("UPDATE task SET title = 'changed' WHERE id IN (3, 30, 59)");
                    db.execute("DELETE FROM task WHERE id IN (33, 57)");
                    db.execute("INSERT INTO task VALUES (61, 1, 'new', 1.00), (62, 2, 'not hers', 1.00)");
                    db.execute("DELETE FROM project_member WHERE project_id = 3 AND user_id = 'alice'");
                }
            };
            DeviceClone.run(device, alice, meanwhile);
            assertThat(pages.get()).isGreaterThan(5);
            assertThat(count("used")).isPositive();
            SyncEngine.open(device).pullThenPush(alice);

            assertThat(rows(device, "SELECT id || '|' || title FROM task ORDER BY id"))
                    .isEqualTo(rows(
                            db,
                            "SELECT id || '|' || title FROM task WHERE project_id IN"
                                    + " (SELECT project_id FROM project_member WHERE user_id = 'alice') ORDER BY id"))
                    .contains("30|changed", "61|new")
                    .doesNotContain("33|t33", "57|t57", "59|changed", "62|not hers");
            assertThat(rows(device, "SELECT id FROM project ORDER BY id")).containsExactly("1");
        }
    }

    @Test
    void aPageReadAheadIsAnsweredOnlyToWhatItWasReadFor() {
        try (HubServer hub = serve()) {
            HttpTransport alice = transport(hub, "alice", "pen");
            String node = UUID.randomUUID().toString();
            PullResult first = alice.snapshot(node, 0, PAGE);
            PullResult second = alice.snapshot(node, first.next(), PAGE); // read while the first was taken
            assertThat(count("used")).isEqualTo(1);
            // the same node and cursor with other claims: read as asked, and read ahead for those claims instead
            transport(hub, "alice", "ink").snapshot(node, second.next(), PAGE);
            PullResult third = alice.snapshot(node, second.next(), PAGE);
            assertThat(count("used")).isEqualTo(1);
            assertThat(count("unused")).isEqualTo(2);
            PullResult fourth = alice.snapshot(node, third.next(), PAGE); // read while the third was taken
            assertThat(count("used")).isEqualTo(2);

            // another page size, another node: read as asked
            PullResult smaller = alice.snapshot(node, fourth.next(), PAGE - 1);
            assertThat(smaller.changes()).hasSize(PAGE - 1);
            assertThat(alice.snapshot(UUID.randomUUID().toString(), fourth.next(), PAGE)
                            .resyncRequired())
                    .isTrue();
            PullResult fifth = alice.snapshot(node, fourth.next(), PAGE);
            assertThat(count("used")).isEqualTo(2);
            assertThat(fifth.changes().subList(0, PAGE - 1)).isEqualTo(smaller.changes());
            assertThat(count("unused")).isEqualTo(4);

            // the hub loses its cursors (restored from a backup, say): the page read ahead is not answered
            db.execute("DELETE FROM _shuttle_meta WHERE key LIKE 'snapshot:%'");
            assertThat(alice.snapshot(node, fifth.next(), PAGE).resyncRequired())
                    .isTrue();
            assertThat(count("used")).isEqualTo(2);
            assertThat(count("unused")).isEqualTo(5);
        }
    }

    private HubServer serve() {
        return HubServer.builder(SyncEngine.open(db))
                .host("127.0.0.1")
                .port(0)
                .authenticator(JwtAuthenticator.hs256(RulesHub.SECRET).build())
                .rules(SyncRules.parse(RULES, "rules.yaml"))
                .maxBatch(PAGE)
                .meterRegistry(registry)
                .start();
    }

    private static HttpTransport transport(HubServer hub, String sub, String team) {
        String token =
                TokenIssuer.hs256(RulesHub.SECRET).issue(sub, Map.of("team", team), Duration.ofHours(1), null, null);
        return HttpTransport.builder(hub.url()).token(token).build();
    }

    /** Every page of {@code node}'s snapshot, asked for one after another as a clone does. */
    private static List<List<Change>> pages(HttpTransport t, String node, int limit) {
        List<List<Change>> out = new ArrayList<>();
        long after = 0;
        while (true) {
            PullResult page = t.snapshot(node, after, limit);
            assertThat(page.resyncRequired()).isFalse();
            out.add(page.changes());
            if (!page.more()) {
                return out;
            }
            after = page.next();
        }
    }

    private double count(String result) {
        Counter c = registry.find("shuttle.snapshot.read.ahead")
                .tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
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
