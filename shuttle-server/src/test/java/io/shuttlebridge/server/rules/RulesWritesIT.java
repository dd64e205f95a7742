package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The write half of DESIGN §9 over HTTP, on SQLite and PostgreSQL hubs: what a subject may write is
 * stored, what it may not is listed under rejected (index, FORBIDDEN, reason) and never stored, and
 * the rest of the batch goes on.
 */
class RulesWritesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: "id IN (SELECT project_id FROM project_member WHERE user_id = :sub AND role = 'owner')"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
                hidden_columns: [internal_cost]
              project_member:
                read:  "user_id = :sub"
            """;

    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private long clock = System.currentTimeMillis() + 1000;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aSubjectWritesOnlyWhatItsRulesAllowAndTheRestOfTheBatchGoesOn(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("INSERT INTO project VALUES (1, 'alice''s'), (2, 'bob''s')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (20, 2, 'bob''s task', 99.00)");
            Capture.enable(db);
            SyncEngine engine = SyncEngine.open(db);
            try (HubServer hub = RulesHub.serve(engine, RULES)) {
                String alice = RulesHub.token("alice");
                String node = UUID.randomUUID().toString();
                List<Change> batch = List.of(
                        task(node, Op.UPSERT, 10, 1, "in her project"), // 0: allowed
                        task(node, Op.UPSERT, 11, 2, "into bob's project"), // 1: as written, outside her rule
                        task(node, Op.UPSERT, 20, 1, "taking bob's task"), // 2: as stored, outside her rule
                        task(node, Op.DELETE, 20, 2, null), // 3: bob's task
                        withHidden(task(node, Op.UPSERT, 12, 1, "with a cost")), // 4: hidden column
                        member(node), // 5: project_member: no write rule
                        task(node, Op.UPSERT, 13, 1, "also hers")); // 6: allowed
                long before = engine.feedPosition();
                HttpResponse<String> r = push(hub, alice, node, batch);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode answer = JSON.readTree(r.body());
                assertThat(answer.get("applied").asInt()).isEqualTo(2);
                Map<Integer, String> refused = new HashMap<>();
                for (JsonNode x : answer.get("rejected")) {
                    assertThat(x.get("code").asText()).isEqualTo("FORBIDDEN");
                    refused.put(x.get("index").asInt(), x.get("message").asText());
                }
                assertThat(refused).containsOnlyKeys(1, 2, 3, 4, 5);
                assertThat(refused.get(1)).contains("as it would be stored is outside your write rule");
                assertThat(refused.get(2)).contains("as the hub holds it is outside your write rule");
                assertThat(refused.get(3)).contains("as the hub holds it");
                assertThat(refused.get(4)).contains("column 'internal_cost' of 'task' is hidden");
                assertThat(refused.get(5)).contains("no one write 'project_member'");
                assertThat(rows(db)).containsExactly("10|1|in her project", "13|1|also hers", "20|2|bob's task");
                assertThat(engine.feedPosition()).isEqualTo(before + 2);
            }
            // rules the hub's database refuses stop it from starting, naming the line
            SyncRules bad = SyncRules.parse(RULES.replace("write: read", "write: \"titel = 'x'\""), "rules.yaml");
            assertThatThrownBy(
                            () -> HubServer.builder(engine).port(0).rules(bad).start())
                    .hasMessageContaining("rules.yaml:8: the rule of 'task' is not a condition");
        }
    }

    @Test
    void aRefusedWriteIsKeptOnItsDeviceAndTheQueueGoesOn() throws Exception {
        try (ShuttleDatabase db = RulesHub.create("sqlite", dir)) {
            db.execute("INSERT INTO project VALUES (1, 'alice''s'), (2, 'bob''s')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            Capture.enable(db);
            // the device never sees the hidden column, so it never sends it
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
                String alice = RulesHub.token("alice");
                var transport = io.shuttlebridge.client.HttpTransport.builder(hub.url())
                        .token(alice)
                        .build();
                io.shuttlebridge.client.DeviceClone.run(device, transport, io.shuttlebridge.core.ProgressListener.NONE);
                SyncEngine engine = SyncEngine.open(device);
                // alice adds carol to her project: the rules let no device write project_member
                device.execute("INSERT INTO project_member VALUES (1, 'carol', 'member')");
                device.execute("INSERT INTO task (id, project_id, title) VALUES (14, 1, 'in her project')");
                var first = engine.pullThenPush(transport);

                assertThat(rows(db))
                        .as(first + " " + engine.rejectedWrites(false))
                        .containsExactly("14|1|in her project");
                assertThat(first.pushed()).isEqualTo(1);
                assertThat(first.rejected()).isEqualTo(1);
                var rejected = engine.rejectedWrites(true);
                assertThat(rejected).hasSize(1);
                assertThat(rejected.get(0).table()).isEqualTo("project_member");
                assertThat(rejected.get(0).key()).containsExactly(1L, "carol");
                assertThat(rejected.get(0).code()).isEqualTo(io.shuttlebridge.core.ErrorCode.FORBIDDEN);
                assertThat(rejected.get(0).message()).contains("no one write 'project_member'");
                assertThat(rejected.get(0).values()).containsEntry("role", "member");
                long carol = db.read(c -> io.shuttlebridge.core.internal.Jdbc.queryLong(
                                c, "SELECT count(*) FROM project_member WHERE user_id = 'carol'")
                        .orElse(0L));
                assertThat(carol).isZero();
                // the hub has no such row for alice: the device removes its own, without pushing a delete
                assertThat(memberRows(device)).containsExactly("1|alice|owner");

                // the queue goes on: later writes sync, the refused one is not sent again
                device.execute("UPDATE task SET title = 'edited' WHERE id = 14");
                var report = engine.pullThenPush(transport);
                assertThat(report.pushed()).isEqualTo(1);
                assertThat(rows(db)).containsExactly("14|1|edited");
                assertThat(engine.rejectedWrites(true)).hasSize(1);
                engine.dismissRejected(rejected.get(0).id());
                assertThat(engine.rejectedWrites(true)).isEmpty();
                assertThat(engine.rejectedWrites(false)).hasSize(1);

                // a refused edit of a row the hub holds: the hub's version comes back
                device.execute("UPDATE project_member SET role = 'admin' WHERE user_id = 'alice'");
                engine.pullThenPush(transport);
                assertThat(engine.rejectedWrites(true)).hasSize(1);
                assertThat(memberRows(device)).containsExactly("1|alice|owner");
                var after = engine.pullThenPush(transport); // nothing left to push, nothing comes back
                assertThat(after.pushed()).isZero();
                assertThat(after.applied()).isZero();
                assertThat(memberRows(device)).containsExactly("1|alice|owner");
                assertThat(memberRows(db)).containsExactly("1|alice|owner", "2|bob|owner");
            }
        }
    }

    private static List<String> memberRows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement()
                    .executeQuery(
                            "SELECT project_id, user_id, role FROM project_member ORDER BY project_id, user_id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
            return out;
        });
    }

    private static List<String> rows(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, project_id, title FROM task ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getLong(2) + "|" + rs.getString(3));
                }
            }
            return out;
        });
    }

    private Change task(String node, Op op, long id, long project, String title) {
        Map<String, Object> values = new HashMap<>();
        values.put("id", id);
        values.put("project_id", project);
        values.put("title", title);
        return new Change(
                "task", List.of(id), op, op == Op.DELETE ? null : values, Hlc.pack(++clock, 0), node, 1, 0, Map.of());
    }

    private static Change withHidden(Change c) {
        Map<String, Object> values = new HashMap<>(c.values());
        values.put("internal_cost", new java.math.BigDecimal("1.00"));
        return new Change(c.table(), c.key(), c.op(), values, c.hlc(), c.origin(), c.version(), c.base(), Map.of());
    }

    private Change member(String node) {
        return new Change(
                "project_member",
                List.of(2L, "alice"),
                Op.UPSERT,
                Map.of("project_id", 2L, "user_id", "alice", "role", "owner"),
                Hlc.pack(++clock, 0),
                node,
                1,
                0,
                Map.of());
    }

    private HttpResponse<String> push(HubServer hub, String token, String node, List<Change> changes) throws Exception {
        return http.send(
                HttpRequest.newBuilder(hub.url().resolve("/v1/sync/push"))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(WireCodec.pushRequest(node, changes)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
