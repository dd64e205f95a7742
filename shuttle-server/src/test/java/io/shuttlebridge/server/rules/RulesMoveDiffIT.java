package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reconcile sends only what differs (DESIGN §9, move-in and move-out): the device shows the hub the
 * hashes of the rows it holds ({@code POST /v1/sync/diff}), the hub answers the readable rows it lacks and
 * which of its rows it may no longer read. A membership granted brings the moved rows only; one revoked
 * removes them without sending any; a device whose hub cannot answer (an older hub, or a body too large)
 * takes the tables' snapshot as before, and ends with the same rows. A membership only added on the hub
 * is cheaper still: the pull says which tables rows moved into, and the device asks for those rows alone
 * ({@code GET /v1/sync/moved}), without showing the hub anything; a rule an added row could narrow is
 * reconciled whole.
 */
class RulesMoveDiffIT {
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
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aMembershipMovesOnlyTheMovedRowsInAndOut(String kind) throws Exception {
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
            HttpTransport transport = HttpTransport.builder(hub.url())
                    .token(RulesHub.token("alice"))
                    .build();
            DeviceClone.run(device, transport, ProgressListener.NONE);
            // pages of 25: the 60 moved tasks come in three answers, each showing the rows received before
            SyncEngine alice = SyncEngine.builder(device).pageSize(25).build();
            assertThat(ids(device, "task")).hasSize(200);

            // granted: the membership row, project 3 and its 60 tasks, not the 200 tasks she holds
            db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
            SyncReport granted = alice.pullThenPush(transport);
            assertThat(granted.pulled()).isEqualTo(1 + 1 + 60);
            assertThat(ids(device, "project")).containsExactly("1", "3");
            assertThat(ids(device, "task")).hasSize(260).containsAll(readable(db, "alice"));
            assertThat(ids(device, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));

            // a task written here and not pushed yet survives the move-out of its neighbours
            device.execute("INSERT INTO task (id, project_id, title) VALUES (5000, 1, 'written offline')");
            // revoked: only the membership's delete comes (the task's is of a row she no longer may read: it
            // reaches only those who may); the 60 rows go without being sent or pushed as deletes
            db.execute("DELETE FROM project_member WHERE project_id = 3 AND user_id = 'alice'");
            // a row deleted while outside her set does not come back
            db.execute("DELETE FROM task WHERE id = 3059");
            SyncReport revoked = alice.pullThenPush(transport);
            assertThat(revoked.pulled()).isEqualTo(1);
            assertThat(revoked.pushed()).isEqualTo(1);
            assertThat(ids(device, "project")).containsExactly("1");
            assertThat(ids(device, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
            assertThat(rows(db, "SELECT count(*) FROM task WHERE project_id = 3"))
                    .containsExactly("59");

            // granted again: the 59 left, the deleted one stays deleted; hidden columns never reach the device
            db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
            SyncReport again = alice.pullThenPush(transport);
            assertThat(again.pulled()).isEqualTo(1 + 1 + 59);
            assertThat(ids(device, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
            assertThat(ids(device, "task")).doesNotContain("3059");
            assertThat(rows(device, "SELECT count(*) FROM pragma_table_info('task') WHERE name = 'internal_cost'"))
                    .containsExactly("0");
            assertThat(rows(db, "SELECT count(*) FROM task")).containsExactly(String.valueOf(200 + 59 + 100 + 1));
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aMembershipAddedOnTheHubMovesItsRowsInWithoutReconcilingTheTables(String kind) throws Exception {
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                ShuttleDatabase alice = ShuttleDatabase.sqlite(dir.resolve("alice.db"));
                ShuttleDatabase bob = ShuttleDatabase.sqlite(dir.resolve("bob.db"))) {
            HttpTransport toAlice = HttpTransport.builder(hub.url())
                    .token(RulesHub.token("alice"))
                    .build();
            HttpTransport toBob = HttpTransport.builder(hub.url())
                    .token(RulesHub.token("bob"))
                    .build();
            DeviceClone.run(alice, toAlice, ProgressListener.NONE);
            DeviceClone.run(bob, toBob, ProgressListener.NONE);

            db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
            // neither table is reconciled: asking for a digest or a diff fails the sync
            SyncReport granted = SyncEngine.builder(alice).pageSize(25).build().pullThenPush(Hub.movesOnly(toAlice));
            assertThat(granted.pulled()).isEqualTo(1 + 1 + 60);
            assertThat(ids(alice, "project")).containsExactly("1", "3");
            assertThat(ids(alice, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
            assertThat(rows(alice, "SELECT count(*) FROM pragma_table_info('task') WHERE name = 'internal_cost'"))
                    .containsExactly("0");

            // bob's set did not change: his pull names the tables, and the hub finds no row that moved in for him
            SyncReport other = SyncEngine.open(bob).pullThenPush(toBob);
            assertThat(other.pulled()).isZero();
            assertThat(ids(bob, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "bob"));
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aRuleThatAnAddedRowCanNarrowIsReconciledWhole(String kind) throws Exception {
        String narrowing = RULES.replace(
                "read:  \"project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)\"",
                "read:  \"project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub) AND project_id"
                        + " NOT IN (SELECT project_id FROM project_member WHERE user_id = 'blocked:' || :sub)\"");
        assertThat(narrowing).contains("NOT IN");
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), narrowing);
                ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
            HttpTransport transport = HttpTransport.builder(hub.url())
                    .token(RulesHub.token("alice"))
                    .build();
            DeviceClone.run(device, transport, ProgressListener.NONE);
            assertThat(ids(device, "task")).hasSize(200);

            // a row added to the membership table takes her project's tasks out of her set
            db.execute("INSERT INTO project_member VALUES (1, 'blocked:alice', 'member')");
            SyncEngine.open(device).pullThenPush(transport);
            assertThat(ids(device, "task")).isEmpty();
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theMovedRowsAnswerRefusesWhatItCannotServe(String kind) throws Exception {
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
            assertThat(get(hub, "", RulesHub.token("alice")).statusCode()).isEqualTo(400);
            assertThat(get(hub, "?table=nope", RulesHub.token("alice")).statusCode())
                    .isEqualTo(404);
            HttpResponse<String> whole = get(hub, "?table=catalog", RulesHub.token("alice"));
            assertThat(whole.statusCode()).isEqualTo(400);
            assertThat(whole.body()).contains("reconciling it whole");
            HttpResponse<String> cursor = get(hub, "?table=task&after=123", RulesHub.token("alice"));
            assertThat(cursor.statusCode()).isEqualTo(400);
            assertThat(cursor.body()).contains("cursor");
            assertThat(get(hub, "?table=task&limit=0", RulesHub.token("alice")).statusCode())
                    .isEqualTo(400);
            assertThat(get(hub, "?table=task", null).statusCode()).isEqualTo(401);
            // from the feed's start: every row her memberships let in, and only those, hidden columns left out
            HttpResponse<String> all = get(hub, "?table=task&since=0&limit=1000", RulesHub.token("alice"));
            assertThat(all.statusCode()).isEqualTo(200);
            var answer = new com.fasterxml.jackson.databind.ObjectMapper().readTree(all.body());
            List<String> keys = new ArrayList<>();
            answer.path("changes").forEach(ch -> {
                keys.add(ch.path("key").get(0).asText());
                assertThat(ch.toString()).doesNotContain("internal_cost");
            });
            assertThat(keys).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
            assertThat(answer.path("more").asBoolean()).isFalse();
            // a page that holds exactly the rows left is the last, without an empty one after it; one row fewer is not
            int n = keys.size();
            var exact = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(get(hub, "?table=task&since=0&limit=" + n, RulesHub.token("alice"))
                            .body());
            assertThat(exact.path("changes").size()).isEqualTo(n);
            assertThat(exact.path("more").asBoolean()).isFalse();
            var fewer = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(get(hub, "?table=task&since=0&limit=" + (n - 1), RulesHub.token("alice"))
                            .body());
            assertThat(fewer.path("changes").size()).isEqualTo(n - 1);
            assertThat(fewer.path("more").asBoolean()).isTrue();
        }
    }

    private static HttpResponse<String> get(HubServer hub, String query, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(hub.url() + "/v1/sync/moved" + query))
                .header("X-Shuttle-Node", UUID.randomUUID().toString());
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(r.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDeviceWhoseHubCannotAnswerTakesTheSnapshot(String kind) throws Exception {
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                HubServer small = HubServer.builder(SyncEngine.open(db))
                        .host("127.0.0.1")
                        .port(0)
                        .authenticator(JwtAuthenticator.hs256(RulesHub.SECRET).build())
                        .rules(SyncRules.parse(RULES, "rules.yaml"))
                        .maxBodyBytes(1024) // 200 row hashes do not fit
                        .start();
                ShuttleDatabase older = ShuttleDatabase.sqlite(dir.resolve("older.db"));
                ShuttleDatabase bounded = ShuttleDatabase.sqlite(dir.resolve("bounded.db"))) {
            HttpTransport http = HttpTransport.builder(hub.url())
                    .token(RulesHub.token("alice"))
                    .build();
            Transport withoutDiff = Hub.withoutDiff(http); // a hub of the previous protocol, as the device sees it
            HttpTransport toSmall = HttpTransport.builder(small.url())
                    .token(RulesHub.token("alice"))
                    .build();
            DeviceClone.run(older, http, ProgressListener.NONE);
            DeviceClone.run(bounded, toSmall, ProgressListener.NONE);

            // the body too large is refused with a clear 413, and changes nothing
            assertThatThrownBy(() -> postDiff(small, 200))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("413")
                    .hasMessageContaining("PAYLOAD_TOO_LARGE");

            db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
            SyncReport a = SyncEngine.open(older).pullThenPush(withoutDiff);
            SyncReport b = SyncEngine.open(bounded).pullThenPush(toSmall);
            // the older hub: the snapshot of the tables (her 2 projects, her 260 tasks, ...) and the membership row
            assertThat(a.pulled()).isGreaterThanOrEqualTo(1 + 2 + 260);
            // the small one: a membership added is answered with the moved rows alone, asked without a body
            assertThat(b.pulled()).isEqualTo(1 + 1 + 60);
            assertThat(ids(older, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
            assertThat(ids(bounded, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));

            // a membership changed (not only added) has the tables reconciled whole: her tasks' hashes do not fit
            // the small hub's body limit, their snapshot comes
            // (project 3's membership moved to project 2: 60 tasks out, 100 in)
            db.execute("UPDATE project_member SET project_id = 2 WHERE project_id = 3 AND user_id = 'alice'");
            SyncReport c = SyncEngine.open(bounded).pullThenPush(toSmall);
            assertThat(c.pulled()).isGreaterThanOrEqualTo(1 + 300);
            assertThat(ids(bounded, "task")).containsExactlyInAnyOrderElementsOf(readable(db, "alice"));
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite"})
    void aMalformedRequestIsRefusedWithA400(String kind) throws Exception {
        try (ShuttleDatabase db = hubWithProjects(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES)) {
            HttpResponse<String> unsorted = post(
                    hub,
                    "{\"table\":\"task\",\"part\":0,\"parts\":1,\"limit\":10,\"rows\":\""
                            + java.util.Base64.getEncoder()
                                    .encodeToString(new byte[] {0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1})
                            + "\"}");
            assertThat(unsorted.statusCode()).isEqualTo(400);
            assertThat(unsorted.body()).contains("sorted");
            HttpResponse<String> ragged =
                    post(hub, "{\"table\":\"task\",\"part\":0,\"parts\":1,\"limit\":10,\"rows\":\"AAAA\"}");
            assertThat(ragged.statusCode()).isEqualTo(400);
            assertThat(ragged.body()).contains("8-byte");
            HttpResponse<String> badPart =
                    post(hub, "{\"table\":\"task\",\"part\":2,\"parts\":2,\"limit\":10,\"rows\":\"\"}");
            assertThat(badPart.statusCode()).isEqualTo(400);
            HttpResponse<String> unknown =
                    post(hub, "{\"table\":\"nope\",\"part\":0,\"parts\":1,\"limit\":10,\"rows\":\"\"}");
            assertThat(unknown.statusCode()).isEqualTo(404);
            // an empty set shown: every readable row comes, nothing is gone
            HttpResponse<String> empty =
                    post(hub, "{\"table\":\"project\",\"part\":0,\"parts\":1,\"limit\":10,\"rows\":\"\"}");
            assertThat(empty.statusCode()).isEqualTo(200);
            assertThat(empty.body()).contains("\"more\":false").contains("\"gone\":\"\"");
        }
    }

    private static void postDiff(HubServer hub, int rows) throws Exception {
        HttpResponse<String> r = post(
                hub,
                "{\"table\":\"task\",\"part\":0,\"parts\":1,\"limit\":10,\"rows\":\""
                        + java.util.Base64.getEncoder().encodeToString(new byte[rows * 8]) + "\"}");
        throw new IllegalStateException(r.statusCode() + " " + r.body());
    }

    private static HttpResponse<String> post(HubServer hub, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/v1/sync/diff"))
                                .header("Authorization", "Bearer " + RulesHub.token("alice"))
                                .header("X-Shuttle-Node", UUID.randomUUID().toString())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    /** Alice's project 1 with 200 tasks, bob's project 2 with 100, project 3 with 60 and no members. */
    private ShuttleDatabase hubWithProjects(String kind) throws Exception {
        ShuttleDatabase db = RulesHub.create(kind, dir);
        db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south'), (3, 'east')");
        db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
        StringBuilder tasks = new StringBuilder("INSERT INTO task VALUES (1000, 1, 't', 1.00)");
        for (int i = 1001; i < 1200; i++) {
            tasks.append(", (").append(i).append(", 1, 't', 1.00)");
        }
        for (int i = 2000; i < 2100; i++) {
            tasks.append(", (").append(i).append(", 2, 't', 1.00)");
        }
        for (int i = 3000; i < 3060; i++) {
            tasks.append(", (").append(i).append(", 3, 't', 1.00)");
        }
        db.execute(tasks.toString());
        Capture.enable(db);
        return db;
    }

    /** The ids of the tasks {@code sub} may read on the hub. */
    private static List<String> readable(ShuttleDatabase db, String sub) {
        return rows(
                db,
                "SELECT id FROM task WHERE project_id IN (SELECT project_id FROM project_member WHERE user_id = '" + sub
                        + "') ORDER BY id");
    }

    private static List<String> ids(ShuttleDatabase db, String table) {
        return rows(db, "SELECT id FROM " + table + " ORDER BY id");
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

    /**
     * A transport to a hub as a device sees it: {@code WITHOUT_DIFF}, a hub of the previous protocol (no {@code
     * /v1/sync/diff}, no {@code /v1/sync/moved}); {@code MOVES_ONLY}, one where a reconcile of a whole table (a
     * snapshot, a digest or a diff asked for) fails the test. Every other call is forwarded.
     */
    private record Hub(Transport inner, Kind kind) implements Transport {
        enum Kind {
            WITHOUT_DIFF,
            MOVES_ONLY
        }

        static Hub withoutDiff(Transport inner) {
            return new Hub(inner, Kind.WITHOUT_DIFF);
        }

        static Hub movesOnly(Transport inner) {
            return new Hub(inner, Kind.MOVES_ONLY);
        }

        @Override
        public String hubNode() {
            return inner.hubNode();
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            return inner.push(fromNode, changes);
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            return inner.pull(forNode, since, limit);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit) {
            wholeTable("the snapshot");
            return inner.snapshot(forNode, after, limit);
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
            wholeTable("the snapshot of " + tables);
            return inner.snapshot(forNode, after, limit, tables);
        }

        @Override
        public Optional<KeyDigest> rowDigest(String forNode, String table) {
            wholeTable("the digest of " + table);
            return inner.rowDigest(forNode, table);
        }

        @Override
        public Optional<io.shuttlebridge.core.sync.RowDiff> rowDiff(
                String forNode, String table, io.shuttlebridge.core.sync.RowSet have, int limit) {
            wholeTable("the rows of " + table + " that differ");
            return Optional.empty(); // without /v1/sync/diff
        }

        @Override
        public Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
            return kind == Kind.MOVES_ONLY ? inner.movedRows(forNode, table, since, after, limit) : Optional.empty();
        }

        private void wholeTable(String asked) {
            if (kind == Kind.MOVES_ONLY) {
                throw new AssertionError(asked + " was asked for: a table was reconciled whole");
            }
        }
    }
}
