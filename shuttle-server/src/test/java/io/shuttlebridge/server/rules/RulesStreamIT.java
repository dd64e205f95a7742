package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stream under sync rules: a device live on its stream hears of every change it may read (a
 * notification reaches it with a position at or past the change, and a pull from its cursor then
 * brings the change), whatever came between; an advance made only of a table no device reads and
 * no rule's predicate reads wakes no one.
 */
class RulesStreamIT {
    private static final String RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              project_member:
                read:  "user_id = :sub"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              catalog:
                read:  all
            """;

    private static final Pattern SEQ = Pattern.compile("\"hubSeq\":(\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aLiveDeviceHearsEveryChangeItMayReadAndNoneOfATableNoOneReads(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("CREATE TABLE audit (id BIGINT PRIMARY KEY, what TEXT)");
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO catalog VALUES ('pen', 1.50)");
            Capture.enable(db);
            SyncEngine engine = SyncEngine.open(db);
            try (HubServer hub = HubServer.builder(engine)
                    .host("127.0.0.1")
                    .port(0)
                    .authenticator(JwtAuthenticator.hs256(RulesHub.SECRET).build())
                    .rules(SyncRules.parse(RULES, "rules.yaml"))
                    .watchEvery(Duration.ofMillis(20))
                    .start()) {
                String token = RulesHub.token("alice");
                LinkedBlockingQueue<Long> heard = new LinkedBlockingQueue<>();
                WebSocket ws = HttpClient.newHttpClient()
                        .newWebSocketBuilder()
                        .header("Authorization", "Bearer " + token)
                        .buildAsync(
                                URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"),
                                new WebSocket.Listener() {
                                    @Override
                                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                                        Matcher m = SEQ.matcher(data);
                                        if (m.find()) {
                                            heard.add(Long.parseLong(m.group(1)));
                                        }
                                        w.request(1);
                                        return null;
                                    }
                                })
                        .get(5, TimeUnit.SECONDS);
                HttpTransport alice =
                        HttpTransport.builder(hub.url()).token(token).build();
                String node = UUID.randomUUID().toString();
                long cursor = snapshot(alice, node);
                assertThat(heard.poll(5, TimeUnit.SECONDS)).isNotNull();

                Random random = new Random(7);
                int task = 100;
                int audit = 0;
                int quiet = 0;
                for (int step = 0; step < 40; step++) {
                    int what = random.nextInt(6);
                    heard.clear();
                    String visible = null; // a change alice may read, as "table key"
                    switch (what) {
                        case 0 -> db.execute("INSERT INTO audit VALUES (?, 'x')", ++audit);
                        case 1 -> {
                            db.execute("UPDATE catalog SET price = ? WHERE sku = 'pen'", step + 0.5);
                            visible = "catalog pen";
                        }
                        case 2 -> {
                            db.execute("INSERT INTO task VALUES (?, 1, 'hers', 1)", ++task);
                            visible = "task " + task;
                        }
                        case 3 -> db.execute("INSERT INTO task VALUES (?, 2, 'his', 1)", ++task);
                        case 4 -> {
                            // a table no one reads, then one she reads, between two looks of the watcher or not
                            db.execute("INSERT INTO audit VALUES (?, 'x')", ++audit);
                            db.execute("INSERT INTO task VALUES (?, 1, 'hers', 1)", ++task);
                            visible = "task " + task;
                        }
                        default -> db.execute("UPDATE project SET name = ? WHERE id = 2", "south " + step);
                    }
                    long seq = engine.feedPosition();
                    if (what == 0) {
                        // nothing for anyone: no notification (the watcher looks every 20 ms)
                        assertThat(heard.poll(600, TimeUnit.MILLISECONDS))
                                .as("step %d: an insert into a table no one reads", step)
                                .isNull();
                        quiet++;
                        continue;
                    }
                    // a table she reads changed (rows she may read or not): she is told of it
                    long told = 0;
                    while (told < seq) {
                        Long p = heard.poll(10, TimeUnit.SECONDS);
                        assertThat(p)
                                .as("step %d: a notification of seq %d (%s)", step, seq, visible)
                                .isNotNull();
                        told = Math.max(told, p);
                    }
                    if (visible == null) {
                        continue;
                    }
                    List<String> got = new ArrayList<>();
                    while (true) {
                        PullResult page = alice.pull(node, cursor, 100);
                        page.changes().stream().map(RulesStreamIT::name).forEach(got::add);
                        cursor = page.next();
                        if (!page.more()) {
                            break;
                        }
                    }
                    assertThat(got).as("step %d", step).contains(visible);
                }
                assertThat(quiet).isPositive();
                ws.abort();
            }
        }
    }

    private static String name(Change c) {
        return c.table() + " " + c.key().get(0);
    }

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
}
