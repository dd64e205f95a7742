package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.SyncReport;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.TokenIssuer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Move-in and move-out (DESIGN §9): rows enter and leave a device's set when something other than
 * the rows themselves changes (a membership granted or revoked, a claim), or when a row changes so
 * that the device may no longer read it; leaving rows are removed on the device without a delete
 * being captured or pushed, and nothing the device wrote and has not pushed is lost.
 */
class RulesMovesIT {
    private static final String RULES = """
            version: 1
            claims: [tenant]
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
              memo:
                read:  "tenant = :tenant"
                write: read
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rowsMoveInAndOutWithMembershipsAndEdits(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("CREATE TABLE memo (id BIGINT PRIMARY KEY, tenant TEXT NOT NULL, body TEXT)");
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south'), (3, 'east')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'alice''s task', 5.00), (20, 2, 'bob''s task', 7.00)");
            StringBuilder east = new StringBuilder("INSERT INTO task VALUES (300, 3, 'east 300', 1.00)");
            for (int i = 301; i < 350; i++) {
                east.append(", (").append(i).append(", 3, 'east ").append(i).append("', 1.00)");
            }
            db.execute(east.toString());
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
                HttpTransport transport = HttpTransport.builder(hub.url())
                        .token(RulesHub.token("alice"))
                        .build();
                DeviceClone.run(device, transport, ProgressListener.NONE);
                SyncEngine alice = SyncEngine.open(device);
                assertThat(ids(device, "task")).containsExactly("10");

                // a membership granted on the hub moves the project and its 50 tasks in
                db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
                alice.pullThenPush(transport);
                assertThat(ids(device, "project")).containsExactly("1", "3");
                assertThat(ids(device, "task")).hasSize(51).contains("10", "300", "349");
                assertThat(rows(device, "SELECT count(*) FROM project_member")).containsExactly("2");

                // a task moved to a project alice is not in leaves her device, and no delete is pushed
                db.execute("UPDATE task SET project_id = 2 WHERE id = 10");
                SyncReport moved = alice.pullThenPush(transport);
                assertThat(ids(device, "task")).doesNotContain("10").hasSize(50);
                assertThat(moved.pushed()).isZero();
                assertThat(rows(db, "SELECT project_id FROM task WHERE id = 10"))
                        .containsExactly("2");

                // a task written here and not pushed yet survives a move-out in the same sync
                device.execute("INSERT INTO task (id, project_id, title) VALUES (11, 1, 'written offline')");
                // revoking the membership empties the device of the project
                db.execute("DELETE FROM project_member WHERE project_id = 3 AND user_id = 'alice'");
                // a row deleted while outside the device's set does not come back
                db.execute("DELETE FROM task WHERE id = 349");
                SyncReport revoked = alice.pullThenPush(transport);
                assertThat(ids(device, "project")).containsExactly("1");
                assertThat(ids(device, "task")).containsExactly("11");
                assertThat(revoked.pushed()).isEqualTo(1);
                assertThat(rows(db, "SELECT count(*) FROM task WHERE project_id = 3"))
                        .containsExactly("49");
                assertThat(rows(db, "SELECT title FROM task WHERE id = 11")).containsExactly("written offline");

                db.execute("INSERT INTO project_member VALUES (3, 'alice', 'member')");
                alice.pullThenPush(transport);
                assertThat(ids(device, "task")).hasSize(50).doesNotContain("349", "10");

                // a sync where nothing alice may read changed reconciles nothing and changes nothing
                db.execute("INSERT INTO task VALUES (21, 2, 'bob again', 1.00)");
                SyncReport quiet = alice.pullThenPush(transport);
                assertThat(quiet.pulled()).isZero();
                assertThat(ids(device, "task")).hasSize(50);

                // a task written here into a project whose membership is revoked before it is pushed: the pull's
                // reconcile keeps the project for it, the hub refuses it (alice may no longer write there), and
                // the project leaves in that same sync, once the refused task is removed
                device.execute("INSERT INTO task (id, project_id, title) VALUES (12, 1, 'too late')");
                db.execute("DELETE FROM project_member WHERE project_id = 1 AND user_id = 'alice'");
                SyncReport late = alice.pullThenPush(transport);
                assertThat(late.rejected()).isEqualTo(1);
                assertThat(ids(device, "project")).containsExactly("3");
                assertThat(ids(device, "task")).hasSize(49).doesNotContain("11", "12");
                assertThat(rows(device, "SELECT project_id FROM project_member"))
                        .containsExactly("3");
                assertThat(rows(db, "SELECT count(*) FROM task WHERE id = 12")).containsExactly("0");
            }
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aClaimThatDiffersInANewTokenMovesRows(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("CREATE TABLE memo (id BIGINT PRIMARY KEY, tenant TEXT NOT NULL, body TEXT)");
            db.execute("INSERT INTO memo VALUES (1, 'acme', 'a'), (2, 'acme', 'b'), (3, 'globex', 'c')");
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("carol.db"))) {
                DeviceClone.run(device, transport(hub, "acme"), ProgressListener.NONE);
                assertThat(ids(device, "memo")).containsExactly("1", "2");

                SyncEngine.open(device).pullThenPush(transport(hub, "globex"));
                assertThat(ids(device, "memo")).containsExactly("3");
                assertThat(rows(db, "SELECT count(*) FROM memo")).containsExactly("3");
            }
        }
    }

    private static HttpTransport transport(HubServer hub, String tenant) {
        String token = TokenIssuer.hs256(RulesHub.SECRET)
                .issue("carol", Map.of("tenant", tenant), Duration.ofHours(1), null, null);
        return HttpTransport.builder(hub.url()).token(token).build();
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
}
