package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pulls share the end of the feed only where every subject's answer is the same: under rules that read
 * every table whole, two subjects pulling the same position get the same page, hidden columns left out;
 * under rules that filter rows, each gets its own rows only.
 */
class RulesSharedPullsIT {
    private static final String EVERY_TABLE_WHOLE = """
            version: 1
            tables:
              project:
                read: all
              project_member:
                read: all
              task:
                read: all
                hidden_columns: [internal_cost]
              catalog:
                read: all
            """;
    private static final String BY_MEMBERSHIP = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                hidden_columns: [internal_cost]
              project_member:
                read:  "user_id = :sub"
              catalog:
                read:  all
            """;
    private static final String ALICE_NODE = "00000000-0000-4000-8000-0000000000a1";
    private static final String BOB_NODE = "00000000-0000-4000-8000-0000000000b1";

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void subjectsWhoseRulesReadEveryTableWholeGetOnePageWithoutHiddenColumns(String kind) throws Exception {
        try (ShuttleDatabase db = filled(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), EVERY_TABLE_WHOLE)) {
            String alice = pull(hub, "alice", ALICE_NODE);
            String bob = pull(hub, "bob", BOB_NODE);
            assertThat(alice)
                    .contains("alice's task", "bob's task", "north", "south")
                    .doesNotContain("internal_cost", "5.00", "7.00");
            assertThat(bob).isEqualTo(alice);
            db.execute("INSERT INTO task VALUES (30, 2, 'a new task', 9.00)");
            String aliceAgain = pull(hub, "alice", ALICE_NODE);
            assertThat(aliceAgain).contains("a new task").doesNotContain("internal_cost", "9.00");
            assertThat(pull(hub, "bob", BOB_NODE)).isEqualTo(aliceAgain);
        }
    }

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void subjectsWhoseRulesFilterRowsEachGetTheirOwn(String kind) throws Exception {
        try (ShuttleDatabase db = filled(kind);
                HubServer hub = RulesHub.serve(SyncEngine.open(db), BY_MEMBERSHIP)) {
            String alice = pull(hub, "alice", ALICE_NODE);
            String bob = pull(hub, "bob", BOB_NODE);
            assertThat(alice).contains("alice's task", "north").doesNotContain("bob's task", "south", "internal_cost");
            assertThat(bob).contains("bob's task", "south").doesNotContain("alice's task", "north", "internal_cost");
            assertThat(pull(hub, "alice", ALICE_NODE)).isEqualTo(alice);
        }
    }

    private ShuttleDatabase filled(String kind) throws Exception {
        ShuttleDatabase db = RulesHub.create(kind, dir);
        db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
        db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
        db.execute("INSERT INTO task VALUES (10, 1, 'alice''s task', 5.00), (20, 2, 'bob''s task', 7.00)");
        db.execute("INSERT INTO catalog VALUES ('pen', 1.50)");
        Capture.enable(db);
        return db;
    }

    /** The body of a pull from the start of the feed by {@code subject}'s device {@code node}. */
    private static String pull(HubServer hub, String subject, String node) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(hub.url() + "/v1/sync/pull?since=0&limit=100&node=" + node))
                                .header("Authorization", "Bearer " + RulesHub.token(subject))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
