package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import io.shuttlebridge.server.auth.JwtAuthenticator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A delete reaches exactly the subjects that could read the row as it was deleted (DESIGN §9): the hub
 * keeps the deleted row's values that the read predicate needs (its old-row image), so the key of a row
 * of one project never reaches a device of another project's member, in a pull, a snapshot or the
 * stream, whether the row was deleted by a device's push, with SQL on the hub, or by a change of its
 * key; the devices that held the row still get the delete, and a row that moved out of a device's set
 * and was then deleted does not come back.
 */
class RulesDeletesIT {
    private static final String RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              project_member:
                read:  "user_id = :sub"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql", "mariadb"})
    void aDeleteReachesOnlyTheSubjectsThatCouldReadTheRow(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            db.execute("INSERT INTO project VALUES (1, 'alice''s'), (2, 'bob''s')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (7001, 1, 'a1'), (7002, 1, 'a2'), (7003, 1, 'a3'), (7004, 1, 'a4'),"
                    + " (8001, 2, 'b1'), (8002, 2, 'b2')");
            Capture.enable(db);
            try (HubServer hub = HubServer.builder(SyncEngine.open(db))
                            .host("127.0.0.1")
                            .port(0)
                            .authenticator(
                                    JwtAuthenticator.hs256(RulesHub.SECRET).build())
                            .rules(SyncRules.parse(RULES, "rules.yaml"))
                            .watchEvery(Duration.ofMillis(20))
                            .start();
                    ShuttleDatabase laptop = ShuttleDatabase.sqlite(dir.resolve("alice-laptop.db"));
                    ShuttleDatabase phone = ShuttleDatabase.sqlite(dir.resolve("alice-phone.db"));
                    ShuttleDatabase bobs = ShuttleDatabase.sqlite(dir.resolve("bob.db"))) {
                HttpTransport alice = HttpTransport.builder(hub.url())
                        .token(RulesHub.token("alice"))
                        .build();
                HttpTransport bob = HttpTransport.builder(hub.url())
                        .token(RulesHub.token("bob"))
                        .build();
                DeviceClone.run(laptop, alice, ProgressListener.NONE);
                DeviceClone.run(phone, alice, ProgressListener.NONE);
                DeviceClone.run(bobs, bob, ProgressListener.NONE);
                assertThat(ids(bobs)).containsExactly("8001", "8002");
                // one node of each subject read by hand, every answer kept as the hub wrote it
                Raw aliceRaw = new Raw(hub, "alice");
                Raw bobRaw = new Raw(hub, "bob");
                long aliceAt = aliceRaw.snapshot("");
                long bobAt = bobRaw.snapshot("");
                List<String> heard = listen(hub, "bob");

                // alice's deletes: pushed by her laptop, made with SQL on the hub, a key changed on the hub
                laptop.execute("DELETE FROM task WHERE id = 7001");
                SyncEngine.open(laptop).pullThenPush(alice);
                db.execute("DELETE FROM task WHERE id = 7002");
                db.execute("UPDATE task SET id = 7005 WHERE id = 7003");
                // bob's task 8002 moves to alice's project, then is deleted: a delete for alice, not bob
                db.execute("UPDATE task SET project_id = 1 WHERE id = 8002");
                db.execute("DELETE FROM task WHERE id = 8002");

                long bobFrom = bobAt;
                bobAt = bobRaw.pull(bobAt);
                aliceAt = aliceRaw.pull(aliceAt);
                bobRaw.snapshot("");
                bobRaw.snapshot("&tables=task");
                bobRaw.pull(bobFrom);
                SyncEngine bobEngine = SyncEngine.open(bobs);
                bobEngine.pullThenPush(bob);
                SyncEngine.open(phone).pullThenPush(alice);

                // bob's answers name none of alice's keys; alice's carry the deletes of her rows
                for (String key : List.of("7001", "7002", "7003", "7004", "7005")) {
                    assertThat(bobRaw.answers).as("bob's raw answers").noneMatch(a -> mentions(a, key));
                }
                assertThat(aliceRaw.deletes()).contains("7001", "7002", "7003", "8002");
                assertThat(bobRaw.deletes()).doesNotContain("8002");
                // the devices that held the rows lose them; bob's moved-out task does not come back
                assertThat(ids(phone)).containsExactly("7004", "7005");
                assertThat(ids(bobs)).containsExactly("8001");

                // bob deletes his row: alice never hears of its key, bob's other node gets the delete
                bobs.execute("DELETE FROM task WHERE id = 8001");
                bobEngine.pullThenPush(bob);
                aliceRaw.pull(aliceAt);
                bobRaw.pull(bobAt);
                aliceRaw.snapshot("");
                assertThat(aliceRaw.answers).noneMatch(a -> mentions(a, "8001"));
                assertThat(bobRaw.deletes()).contains("8001");

                // a delete of a row deleted before the images were kept (none here) and the stream: no keys
                TimeUnit.MILLISECONDS.sleep(200);
                assertThat(heard).isNotEmpty().noneMatch(m -> mentions(m, "7001") || m.contains("task"));

                // a row written again: the purge round drops its image with its tombstone
                long task = db.read(c -> io.shuttlebridge.core.internal.Jdbc.queryLong(
                                c, "SELECT id FROM _shuttle_tables WHERE name = 'task'"))
                        .orElseThrow();
                String img = "_shuttle_old_" + task;
                long images = one(db, "SELECT count(*) FROM " + img);
                assertThat(images).isEqualTo(5); // 7001, 7002, 7003, 8002, 8001
                db.execute("INSERT INTO task VALUES (7001, 1, 'again')");
                SyncEngine.open(db).purgeTombstones();
                assertThat(one(db, "SELECT count(*) FROM " + img)).isLessThan(images);
                assertThat(one(
                                db,
                                "SELECT count(*) FROM " + img + " WHERE NOT EXISTS (SELECT 1 FROM _shuttle_feed f WHERE"
                                        + " f.tbl = " + task + " AND f.pk = " + img + "._shuttle_pk AND f.op = 2)"))
                        .isZero();
            }
        }
    }

    /**
     * What keeping the old-row images costs: the image holds the key and the columns the read predicate
     * mentions (here {@code project_id}), not the row; its bytes per tombstone are printed beside the feed
     * entry's.
     */
    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void anImageKeepsTheColumnsThePredicateReadsAndItsSizeIsMeasured(String kind) throws Exception {
        int n = 2000;
        try (ShuttleDatabase db = hub(kind)) {
            db.execute("INSERT INTO project VALUES (1, 'alice''s')");
            StringBuilder tasks =
                    new StringBuilder("INSERT INTO task VALUES (1, 1, 'a task with a title of some length')");
            for (int i = 2; i <= n; i++) {
                tasks.append(", (").append(i).append(", 1, 'a task with a title of some length')");
            }
            db.execute(tasks.toString());
            Capture.enable(db);
            SyncEngine engine = SyncEngine.open(db);
            try (HubServer hub = RulesHub.serve(engine, RULES)) {
                db.execute("DELETE FROM task");
                long task = db.read(c -> io.shuttlebridge.core.internal.Jdbc.queryLong(
                                c, "SELECT id FROM _shuttle_tables WHERE name = 'task'"))
                        .orElseThrow();
                String img = "_shuttle_old_" + task;
                assertThat(one(db, "SELECT count(*) FROM " + img)).isEqualTo(n);
                assertThat(columns(db, img)).containsExactly("_shuttle_pk", "project_id");
                engine.purgeTombstones(); // folds the log into the feed first (no device: nothing is purged)
                long entries = one(db, "SELECT count(*) FROM _shuttle_feed");
                long feedDisk;
                long imageDisk;
                String tuples = "";
                if (kind.equals("postgresql")) {
                    feedDisk = one(db, "SELECT pg_total_relation_size('_shuttle_feed') / " + entries);
                    imageDisk = one(db, "SELECT pg_total_relation_size('" + img + "') / " + n);
                    tuples = String.format(
                            "; as tuples, %d and %d bytes",
                            one(db, "SELECT avg(pg_column_size(f.*)) FROM _shuttle_feed f WHERE op = 2"),
                            one(db, "SELECT avg(pg_column_size(i.*)) FROM " + img + " i"));
                } else {
                    feedDisk = one(
                            db,
                            "SELECT sum(pgsize) / " + entries + " FROM dbstat WHERE name IN"
                                    + " (SELECT name FROM sqlite_master WHERE tbl_name = '_shuttle_feed')");
                    imageDisk = one(
                            db,
                            "SELECT sum(pgsize) / " + n + " FROM dbstat WHERE name IN"
                                    + " (SELECT name FROM sqlite_master WHERE tbl_name = '" + img + "')");
                }
                System.out.printf(
                        "old-row images on %s, %d deletes: the feed %d bytes on disk per entry (indexes included),"
                                + " the images %d bytes more per tombstone%s%n",
                        kind, n, feedDisk, imageDisk, tuples);
                long entry = feedDisk;
                long kept = imageDisk;
                assertThat(kept).isLessThan(entry);
            }
        }
    }

    private static long one(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            try (var rs = c.createStatement().executeQuery(sql)) {
                rs.next();
                return Math.round(rs.getDouble(1));
            }
        });
    }

    private static List<String> columns(ShuttleDatabase db, String table) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.add(rs.getMetaData().getColumnName(i).toLowerCase(java.util.Locale.ROOT));
                }
            }
            return out;
        });
    }

    /** A hub database with the example's projects, members and tasks, its capture not enabled yet. */
    private ShuttleDatabase hub(String kind) throws Exception {
        ShuttleDatabase db = switch (kind) {
            case "sqlite" -> ShuttleDatabase.sqlite(dir.resolve("hub.db"));
            case "postgresql" -> ShuttleDatabase.open(Postgres.freshDatabase());
            default -> ShuttleDatabase.open(MariaDb.freshDatabase());
        };
        db.execute("CREATE TABLE project (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL)");
        db.execute("CREATE TABLE project_member (project_id BIGINT NOT NULL REFERENCES project(id),"
                + " user_id VARCHAR(64) NOT NULL, role VARCHAR(16) NOT NULL, PRIMARY KEY (project_id, user_id))");
        db.execute("CREATE TABLE task (id BIGINT PRIMARY KEY, project_id BIGINT NOT NULL REFERENCES project(id),"
                + " title VARCHAR(200))");
        return db;
    }

    /** Whether a raw answer names {@code key} as a row's key. */
    private static boolean mentions(String answer, String key) {
        return Pattern.compile("\\[\\s*" + key + "\\s*]|\"id\"\\s*:\\s*" + key + "\\b")
                .matcher(answer)
                .find();
    }

    /** The stream's notifications to a device of {@code sub}, as written. */
    private static List<String> listen(HubServer hub, String sub) throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .header("Authorization", "Bearer " + RulesHub.token(sub))
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.port() + "/v1/sync/stream"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        heard.add(data.toString());
                        w.request(1);
                        return null;
                    }
                })
                .get(5, TimeUnit.SECONDS);
        return heard;
    }

    /** One node of a subject, reading the hub by hand and keeping every answer. */
    private static final class Raw {
        final HubServer hub;
        final String token;
        final String node = UUID.randomUUID().toString();
        final List<String> answers = new ArrayList<>();

        Raw(HubServer hub, String sub) {
            this.hub = hub;
            this.token = RulesHub.token(sub);
        }

        /** A whole snapshot ({@code query} adds to its parameters); returns the cursor its last page answers. */
        long snapshot(String query) throws Exception {
            long after = 0;
            while (true) {
                JsonNode page = get("/v1/sync/snapshot?limit=2&after=" + after + query);
                after = page.path("next").asLong();
                if (!page.path("more").asBoolean()) {
                    return after;
                }
            }
        }

        /** Pulls from {@code since} to the end; returns the cursor reached. */
        long pull(long since) throws Exception {
            while (true) {
                JsonNode page = get("/v1/sync/pull?limit=2&since=" + since);
                since = page.path("next").asLong();
                if (!page.path("more").asBoolean()) {
                    return since;
                }
            }
        }

        /** The keys of the deletes in every answer so far. */
        List<String> deletes() throws Exception {
            List<String> out = new ArrayList<>();
            for (String a : answers) {
                for (JsonNode ch : JSON.readTree(a).path("changes")) {
                    if (ch.path("op").asText().equals("DELETE")) {
                        out.add(ch.path("key").get(0).asText());
                    }
                }
            }
            return out;
        }

        private JsonNode get(String path) throws Exception {
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(hub.url() + path))
                                    .header("Authorization", "Bearer " + token)
                                    .header("X-Shuttle-Node", node)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            answers.add(r.body());
            return JSON.readTree(r.body());
        }
    }

    private static List<String> ids(ShuttleDatabase db) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id FROM task ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
