package io.shuttlebridge.server.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import io.shuttlebridge.server.auth.TokenIssuer;
import io.shuttlebridge.server.rules.SyncRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls under sync rules served from a hot standby: each page holds the subject's rows only, and
 * names the tables to reconcile from what the standby's feed holds in the page's range (a row of
 * someone else's left out, a membership changed), as the primary's pages do.
 */
class RulesReplicaIT {
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String RULES = """
            version: 1
            tables:
              project_member:
                read:  "user_id = :sub"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
            """;

    @TempDir
    Path dir;

    @Test
    void pagesFromTheStandbyNameWhatToReconcile() throws Exception {
        try (StandbyPair pair = new StandbyPair(dir, "0", url -> {
                    try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
                        db.execute("CREATE TABLE project_member (project_id BIGINT NOT NULL, user_id TEXT NOT NULL,"
                                + " PRIMARY KEY (project_id, user_id))");
                        db.execute("CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL, title TEXT)");
                        db.execute("INSERT INTO project_member VALUES (1, 'alice'), (2, 'bob')");
                        db.execute("INSERT INTO task VALUES (10, 1, 'a'), (20, 2, 'x')");
                        Capture.enable(db);
                    }
                });
                ShuttleDatabase primary = HubDatabases.open(pair.primaryUrl(), 4);
                ShuttleDatabase standby = HubDatabases.open(pair.standbyUrl(), 4)) {
            SyncEngine engine = SyncEngine.open(primary);
            try (HubServer hub = HubServer.builder(engine)
                    .host("127.0.0.1")
                    .port(0)
                    .authenticator(JwtAuthenticator.hs256(SECRET).build())
                    .rules(SyncRules.parse(RULES, "rules.yaml"))
                    .readDatabase(standby)
                    .start()) {
                pulls(hub, engine, primary, standby);
            }
        }
    }

    private static void pulls(HubServer hub, SyncEngine engine, ShuttleDatabase primary, ShuttleDatabase standby)
            throws InterruptedException {
        String token = TokenIssuer.hs256(SECRET).issue("alice", Map.of(), Duration.ofHours(1), null, null);
        HttpTransport alice = HttpTransport.builder(hub.url()).token(token).build();
        String node = UUID.randomUUID().toString();
        long at = 0;
        while (true) {
            HttpTransport.SnapshotPage p = alice.snapshotPage(node, at, 100);
            at = p.page().next();
            if (!p.page().more()) {
                break;
            }
        }

        primary.execute("UPDATE task SET title = 'a2' WHERE id = 10");
        replayed(engine, standby);
        PullResult own = alice.pull(node, at, 100);
        assertThat(own.changes()).extracting(c -> c.key().get(0)).containsExactly(10L);
        assertThat(own.reconcile()).isEmpty();

        primary.execute("UPDATE task SET title = 'x2' WHERE id = 20");
        replayed(engine, standby);
        PullResult bobs = alice.pull(node, own.next(), 100);
        assertThat(bobs.changes()).isEmpty();
        assertThat(bobs.reconcile()).containsExactly("task");

        primary.execute("INSERT INTO project_member VALUES (3, 'bob')");
        replayed(engine, standby);
        PullResult membership = alice.pull(node, bobs.next(), 100);
        assertThat(membership.changes()).isEmpty();
        assertThat(membership.reconcile()).containsExactlyInAnyOrder("project_member", "task");
    }

    /** Folds the primary's local writes into its feed and waits until the standby has replayed them. */
    private static void replayed(SyncEngine engine, ShuttleDatabase standby) throws InterruptedException {
        long top = engine.feedPosition();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (standby.read(c -> {
                    try (var rs = c.createStatement().executeQuery("SELECT coalesce(max(seq), 0) FROM _shuttle_feed")) {
                        rs.next();
                        return rs.getLong(1);
                    }
                })
                < top) {
            assertThat(System.nanoTime()).as("the standby replays the feed").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
