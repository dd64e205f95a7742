package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which tables a pull answer asks the device to reconcile (DESIGN §9, move-in and move-out): a table
 * whose predicate reads a table that changed in the page's range (whoever changed it, the device
 * itself included), a table whose rows changed in the range where the page left some out, every
 * table with a predicate when the claims differ from the device's last snapshot; nothing when every
 * change in the range is in the page, and nothing for what lies beyond the page's range.
 */
class RulesReconcileIT {
    private static final String RULES = """
            version: 1
            claims: [tenant]
            tables:
              project:
                read:  all
              project_member:
                read:  "user_id = :sub"
                write: "user_id = :sub"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
              catalog:
                read:  all
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aPullNamesTheTablesWhoseReadableRowsMayHaveChangedOutsideItsPage(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south'), (3, 'east')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'a', 1), (11, 1, 'b', 1), (12, 1, 'c', 1),"
                    + " (20, 2, 'x', 1), (21, 2, 'y', 1)");
            db.execute("INSERT INTO catalog VALUES ('pen', 1.50)");
            Capture.enable(db);
            SyncEngine engine = SyncEngine.open(db);
            try (HubServer hub = RulesHub.serve(engine, RULES)) {
                HttpTransport alice = transport(hub, "acme");
                String node = UUID.randomUUID().toString();
                long at = snapshot(alice, node);

                // a change to a table everyone reads: nothing to reconcile
                db.execute("UPDATE catalog SET price = 2.00 WHERE sku = 'pen'");
                PullResult quiet = alice.pull(node, at, 100);
                assertThat(quiet.changes()).hasSize(1);
                assertThat(quiet.reconcile()).isEmpty();
                at = quiet.next();

                // her own tasks changed, and one of bob's deleted: the delete of a row she could not read is
                // left out of her page (so the page names task: a delete left out may be of a row she held)
                db.execute("UPDATE task SET title = 'a2' WHERE id IN (10, 11, 12)");
                db.execute("DELETE FROM task WHERE id = 21");
                PullResult own = alice.pull(node, at, 100);
                assertThat(own.changes()).hasSize(3).noneMatch(Change::isDelete);
                assertThat(own.reconcile()).containsExactly("task");
                // the same in pages of two: each page reads only its own range
                PullResult first = alice.pull(node, at, 2);
                assertThat(first.more()).isTrue();
                assertThat(first.reconcile()).isEmpty();
                PullResult second = alice.pull(node, first.next(), 2);
                assertThat(second.reconcile()).containsExactly("task");
                at = own.next();

                // bob's task changed: left out of her page, it may have left her set
                db.execute("UPDATE task SET title = 'x2' WHERE id = 20");
                PullResult leftOut = alice.pull(node, at, 100);
                assertThat(leftOut.changes()).isEmpty();
                assertThat(leftOut.reconcile()).containsExactly("task");
                at = leftOut.next();

                // her tasks changed, then bob's membership: a page that ends before the membership does not
                // name it, the next one does (the membership table is read by task's predicate, and the row
                // itself was left out of project_member's page)
                db.execute("UPDATE task SET title = 'a3' WHERE id IN (10, 11)");
                db.execute("INSERT INTO project_member VALUES (3, 'bob', 'member')");
                PullResult before = alice.pull(node, at, 2);
                assertThat(before.changes()).hasSize(2);
                assertThat(before.reconcile()).isEmpty();
                PullResult membership = alice.pull(node, before.next(), 100);
                assertThat(membership.changes()).isEmpty();
                assertThat(membership.reconcile()).containsExactly("project_member");
                // a membership added on the hub only lets tasks in: they are said to have moved in, which the
                // device asks for alone, instead of reconciling the whole table
                assertThat(membership.movedIn()).containsExactly("task");
                at = membership.next();

                // her device writes a membership itself: its own change is not in its page, but task is named
                PushResult pushed = alice.push(
                        node,
                        List.of(new Change(
                                "project_member",
                                List.of(3, "alice"),
                                Op.UPSERT,
                                Map.of("project_id", 3, "user_id", "alice", "role", "member"),
                                Hlc.pack(System.currentTimeMillis(), 0),
                                node,
                                1,
                                0,
                                Map.of())));
                assertThat(pushed.applied()).isEqualTo(1);
                PullResult self = alice.pull(node, at, 100);
                assertThat(self.changes()).isEmpty();
                assertThat(self.reconcile()).containsExactly("task");
                at = self.next();

                // claims that differ from those of her snapshot: every table with a predicate
                PullResult otherTenant = transport(hub, "globex").pull(node, at, 100);
                assertThat(otherTenant.reconcile()).containsExactlyInAnyOrder("project_member", "task");
                // a device that never took a snapshot here: the same
                PullResult stranger = alice.pull(UUID.randomUUID().toString(), at, 100);
                assertThat(stranger.reconcile()).containsExactlyInAnyOrder("project_member", "task");
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aTableToReconcileForAChangeNotTakenIsNamedAgainWhenTheAnswerWasLost(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'north')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'a', 1)");
            db.execute("INSERT INTO catalog VALUES ('pen', 1.50)");
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
                HttpTransport alice = transport(hub, "acme");
                String node = UUID.randomUUID().toString();
                long at = snapshot(alice, node);
                db.execute("UPDATE task SET title = 'hub' WHERE id = 10");
                at = alice.pull(node, at, 100).next();

                // her device's older write of the task is not taken: her next pull names task to reconcile
                PushResult stale = alice.push(
                        node,
                        List.of(new Change(
                                "task",
                                List.of(10),
                                Op.UPSERT,
                                Map.of("id", 10, "project_id", 1, "title", "stale"),
                                Hlc.pack(1_000, 0),
                                node,
                                1,
                                0,
                                Map.of())));
                assertThat(stale.applied()).isZero();
                db.execute("UPDATE catalog SET price = 2.00 WHERE sku = 'pen'");
                PullResult told = alice.pull(node, at, 100);
                assertThat(told.reconcile()).containsExactly("task");
                // the answer lost on its way: the same pull again is told again
                PullResult again = alice.pull(node, at, 100);
                assertThat(again.reconcile()).containsExactly("task");
                assertThat(again.next()).isEqualTo(told.next());
                // pulling on from it, the device holds it: no more
                db.execute("UPDATE catalog SET price = 3.00 WHERE sku = 'pen'");
                PullResult on = alice.pull(node, again.next(), 100);
                assertThat(on.changes()).hasSize(1);
                assertThat(on.reconcile()).isEmpty();
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void pagesOfAnySizeCarryTheSameChangesInFeedOrder(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'a', 1), (11, 1, 'b', 1), (20, 2, 'x', 1), (21, 2, 'y', 1)");
            db.execute("INSERT INTO catalog VALUES ('pen', 1.50), ('ink', 4.00)");
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
                HttpTransport alice = transport(hub, "acme");
                HttpTransport bob = transport(hub, "acme-bob");
                String node = UUID.randomUUID().toString();
                long at = snapshot(alice, node);
                // her rows, rows everyone reads, bob's rows, deletes of both, interleaved
                db.execute("UPDATE task SET title = 'x1' WHERE id = 20");
                db.execute("UPDATE task SET title = 'a1' WHERE id = 10");
                db.execute("UPDATE catalog SET price = 2.00 WHERE sku = 'pen'");
                db.execute("UPDATE task SET title = 'y1' WHERE id = 21");
                db.execute("DELETE FROM task WHERE id = 21");
                db.execute("INSERT INTO task VALUES (12, 1, 'c', 1), (22, 2, 'z', 1)");
                db.execute("UPDATE task SET title = 'b1' WHERE id = 11");
                db.execute("DELETE FROM catalog WHERE sku = 'ink'");
                db.execute("UPDATE task SET title = 'x2' WHERE id = 20");
                PullResult whole = alice.pull(node, at, 100);
                assertThat(whole.more()).isFalse();
                assertThat(keys(whole.changes()))
                        .containsExactly(
                                "task 10 UPSERT",
                                "catalog pen UPSERT",
                                "task 12 UPSERT",
                                "task 11 UPSERT",
                                "catalog ink DELETE");
                assertThat(whole.reconcile()).containsExactly("task");
                for (int limit = 1; limit <= 4; limit++) {
                    List<String> paged = new java.util.ArrayList<>();
                    long from = at;
                    boolean leftOut = false;
                    for (int pages = 0; ; pages++) {
                        assertThat(pages).as("pages of " + limit).isLessThan(40);
                        PullResult p = alice.pull(node, from, limit);
                        assertThat(p.changes().size()).isLessThanOrEqualTo(limit);
                        paged.addAll(keys(p.changes()));
                        leftOut |= p.reconcile().contains("task");
                        from = p.next();
                        if (!p.more()) {
                            break;
                        }
                    }
                    assertThat(paged).as("pages of " + limit).isEqualTo(keys(whole.changes()));
                    assertThat(from).isEqualTo(whole.next());
                    assertThat(leftOut).isTrue();
                }
                // another subject pulling from the same cursor at the same feed position gets its own rows
                PullResult bobs = bob.pull(UUID.randomUUID().toString(), at, 100);
                assertThat(keys(bobs.changes()))
                        .containsExactly(
                                "catalog pen UPSERT",
                                "task 21 DELETE",
                                "task 22 UPSERT",
                                "catalog ink DELETE",
                                "task 20 UPSERT");
                assertThat(keys(alice.pull(node, at, 100).changes())).isEqualTo(keys(whole.changes()));
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSubjectThatMayReadManyRowsGetsJustTheChangedOnes(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            // more rows than a page looks through whole: hers are then found through the feed's entries
            StringBuilder rows = new StringBuilder("INSERT INTO task VALUES (1, 2, 'his', 1)");
            for (int i = 2; i <= 700; i++) {
                rows.append(", (")
                        .append(i)
                        .append(", ")
                        .append(i % 7 == 0 ? 2 : 1)
                        .append(", 't', 1)");
            }
            db.execute(rows.toString());
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
                HttpTransport alice = transport(hub, "acme");
                String node = UUID.randomUUID().toString();
                long at = snapshot(alice, node);
                db.execute("UPDATE task SET title = 'changed' WHERE id IN (5, 7, 14, 300, 699)");
                PullResult page = alice.pull(node, at, 100);
                assertThat(keys(page.changes()))
                        .containsExactlyInAnyOrder("task 5 UPSERT", "task 300 UPSERT", "task 699 UPSERT");
                assertThat(page.reconcile()).containsExactly("task");
                assertThat(page.changes())
                        .allMatch(c -> "changed".equals(c.values().get("title")));
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSubjectThatReadsFewOfManyChangesGetsThemInFewPages(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'a', 1), (20, 2, 'x', 1)");
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
                HttpTransport alice = transport(hub, "acme");
                String node = UUID.randomUUID().toString();
                long at = snapshot(alice, node);
                // 2,000 changes of bob's project, five of hers among them
                List<String> hers = new java.util.ArrayList<>();
                for (int i = 1; i <= 2000; i++) {
                    db.execute("INSERT INTO task VALUES (" + (1000 + i) + ", 2, 'x', 1)");
                    if (i % 400 == 0) {
                        db.execute("INSERT INTO task VALUES (" + (5000 + i) + ", 1, 'a', 1)");
                        hers.add("task " + (5000 + i) + " UPSERT");
                    }
                }
                PullResult whole = alice.pull(node, at, 10_000);
                assertThat(keys(whole.changes())).isEqualTo(hers);
                List<String> paged = new java.util.ArrayList<>();
                long from = at;
                int pages = 0;
                for (boolean more = true; more; pages++) {
                    assertThat(pages).as("pages").isLessThan(40);
                    PullResult p = alice.pull(node, from, 100);
                    paged.addAll(keys(p.changes()));
                    from = p.next();
                    more = p.more();
                }
                assertThat(paged).isEqualTo(hers);
                assertThat(from).isEqualTo(whole.next());
                // a page of 100 looks through up to 16 ranges of 100 entries: 2,005 entries in two pages
                assertThat(pages).as("pages of 100 for 2,005 entries").isLessThanOrEqualTo(2);
            }
        }
    }

    private static List<String> keys(List<Change> changes) {
        return changes.stream()
                .map(c -> c.table() + " " + c.key().get(0) + " " + c.op())
                .toList();
    }

    /** Takes {@code node}'s snapshot to the end; returns the feed position to pull from. */
    private static long snapshot(HttpTransport t, String node) {
        long after = 0;
        while (true) {
            HttpTransport.SnapshotPage p = t.snapshotPage(node, after, 100);
            after = p.page().next();
            if (!p.page().more()) {
                return after;
            }
        }
    }

    /** Alice's transport with {@code tenant} as her claim; {@code acme-bob} is bob's, in acme. */
    private static HttpTransport transport(HubServer hub, String tenant) {
        String sub = tenant.endsWith("-bob") ? "bob" : "alice";
        String token = TokenIssuer.hs256(RulesHub.SECRET)
                .issue(sub, Map.of("tenant", tenant.replace("-bob", "")), Duration.ofHours(1), null, null);
        return HttpTransport.builder(hub.url()).token(token).build();
    }
}
