package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §9 from the outside, with the real jar against a PostgreSQL hub: {@code shuttle serve --rules} with the
 * rules and schema of docs/rules.md's example (docs/examples), two subjects in two tenants with two devices
 * each, cloned with tokens from {@code shuttle token issue}. Every
 * device is checked after its clone and after every sync against what the hub says its subject may read,
 * worked out here with plain SQL: a refused write, a membership granted and revoked on the hub, and an
 * expired token, each seen as the command line shows them.
 */
class RulesProcessIT {
    /** The example of docs/rules.md: the rules and the schema with its rows, as the tour runs them. */
    private static final Path EXAMPLES = Path.of("..", "docs", "examples");

    /** A token for {@code ttl} is valid for the hub's 60 s of leeway beyond it. */
    private static final long LEEWAY_MS = 60_000;

    @TempDir
    Path dir;

    private String hubUrl;
    private final Map<Path, Subject> devices = new LinkedHashMap<>();

    /** Who a device syncs as: the token's subject and tenant claim. */
    private record Subject(String sub, String tenant, String token) {}

    @Test
    void twoTenantsWithTwoDevicesEachHoldOnlyWhatTheirRulesAllow() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        hubUrl = Postgres.freshDatabase();
        ShuttleJar.sql(
                hubUrl, Files.readString(EXAMPLES.resolve("rules-schema.sql")).split(";\\s*(?=\\R|$)"));
        assertThat(ShuttleJar.run(dir, "init", "--db", hubUrl).code()).isZero();
        Path secret = dir.resolve("hub.secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef-and-some-more\n");
        Path rules = EXAMPLES.resolve("rules.yaml").toAbsolutePath();
        String text = Files.readString(rules);

        // a rules file the hub's database does not accept stops serve, naming the line
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, text.replace("write: read", "write: \"titel IS NOT NULL\""));
        ShuttleJar.Result refused = serveOnce("--jwt-secret-file", secret.toString(), "--rules", broken.toString());
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err())
                .contains("broken.yaml:" + lineOf(text, "write: read") + ": the rule of 'task'")
                .contains("titel");
        // rules tell subjects apart: a shared token has one subject
        ShuttleJar.Result shared = serveOnce("--token", "tk", "--rules", rules.toString());
        assertThat(shared.code()).isEqualTo(2);
        assertThat(shared.err()).contains("--rules").contains("--jwt-secret-file or --jwks");

        ShuttleJar.Result check = ShuttleJar.run(
                dir,
                "rules",
                "check",
                "--db",
                hubUrl,
                "--rules",
                rules.toString(),
                "--sub",
                "bob",
                "--claim",
                "tenant=globex",
                "--row",
                "task=30",
                "--row",
                "task=10");
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out())
                .containsPattern("task +1 +5 +by rule +internal_cost")
                .contains("task=30: readable, writable by bob")
                .contains("task=10: not readable, not writable by bob");

        Subject alice = new Subject("alice", "acme", issue(secret, "alice", "acme", "1h"));
        Subject bob = new Subject("bob", "globex", issue(secret, "bob", "globex", "1h"));
        long shortIssued = System.currentTimeMillis();
        String shortLived = issue(secret, "alice", "acme", "1s");

        Process serve = ShuttleJar.start(
                dir,
                "serve",
                "--db",
                hubUrl,
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--jwt-secret-file",
                secret.toString(),
                "--rules",
                rules.toString());
        try {
            String hub = ShuttleJar.listeningUrl(serve);
            Path a1 = dir.resolve("alice-1.db");
            Path a2 = dir.resolve("alice-2.db");
            Path b1 = dir.resolve("bob-1.db");
            Path b2 = dir.resolve("bob-2.db");
            for (Path d : List.of(a1, a2)) {
                clone(hub, d, alice);
            }
            for (Path d : List.of(b1, b2)) {
                clone(hub, d, bob);
            }
            assertThat(tasks(a1)).containsExactly("10|1|design review", "11|1|ship it");
            assertThat(tasks(b1)).containsExactly("30|3|survey");
            assertThat(ShuttleJar.rows(a1, "SELECT name FROM pragma_table_info('task') ORDER BY cid"))
                    .as("the hidden column is not even created on the device")
                    .containsExactly("id", "project_id", "title");

            // a token within its lifetime and leeway syncs
            ShuttleJar.Result fresh = ShuttleJar.run(dir, "sync", "--db", a2.toString(), "--token", shortLived);
            assertThat(fresh.code()).as(fresh.err()).isZero();
            assertHoldsExactlyWhatItMayRead(a2);

            // writes each subject may make reach its other device, and only it
            ShuttleJar.sql(a1, "INSERT INTO task (id, project_id, title) VALUES (12, 1, 'write the docs')");
            ShuttleJar.sql(b1, "UPDATE task SET title = 'aurora survey' WHERE id = 30");
            for (Path d : List.of(a1, b1, a2, b2)) {
                sync(d);
            }
            assertThat(tasks(a2)).containsExactly("10|1|design review", "11|1|ship it", "12|1|write the docs");
            assertThat(tasks(b2)).containsExactly("30|3|aurora survey");

            // a write into the other tenant's project is refused, reported on the device and never stored
            ShuttleJar.sql(
                    a2, "INSERT INTO task (id, project_id, title) VALUES (99, 3, 'into globex'), (13, 1, 'allowed')");
            ShuttleJar.Result pushed = sync(a2);
            assertThat(pushed.out()).contains("pushed 1");
            assertThat(ShuttleJar.count(hubUrl, "SELECT count(*) FROM task WHERE id = 99"))
                    .isZero();
            assertThat(ShuttleJar.rows(hubUrl, "SELECT title FROM task WHERE id = 13"))
                    .containsExactly("allowed");
            ShuttleJar.Result listed = ShuttleJar.run(dir, "conflicts", "list", "--db", a2.toString());
            assertThat(listed.code()).as(listed.err()).isZero();
            assertThat(listed.out())
                    .contains("rejected write 1  task [99]  UPSERT  open")
                    .contains("the hub said: FORBIDDEN")
                    .contains("outside your write rule")
                    .containsPattern("project_id +3")
                    .containsPattern("title +into globex");
            ShuttleJar.Result json = ShuttleJar.run(dir, "conflicts", "list", "--db", a2.toString(), "--json");
            assertThat(json.out()).contains("\"kind\":\"rejected\"").contains("\"code\":\"FORBIDDEN\"");
            assertThat(status(a2)).contains("rejected    1 writes the hub refused to store");
            for (Path d : List.of(b1, b2, a1)) {
                sync(d);
            }
            assertThat(ShuttleJar.run(dir, "conflicts", "dismiss", "--db", a2.toString(), "1")
                            .out())
                    .contains("Rejected write 1 (task [99]) dismissed.");
            assertThat(status(a2))
                    .doesNotContain("writes the hub refused"); // the last sync's outcome still says it had one

            // a membership granted on the hub moves the project and its tasks in on the next sync
            ShuttleJar.sql(hubUrl, "INSERT INTO project_member VALUES (2, 'alice', 'member')");
            sync(a1);
            assertThat(ShuttleJar.rows(a1, "SELECT id FROM project ORDER BY id"))
                    .containsExactly("1", "2");
            assertThat(tasks(a1)).contains("20|2|launch plan", "21|2|press kit");
            sync(a2);
            // a membership in another tenant's project shows bob nothing of it
            ShuttleJar.sql(hubUrl, "INSERT INTO project_member VALUES (1, 'bob', 'member')");
            for (Path d : List.of(b1, b2)) {
                sync(d);
                assertThat(tasks(d)).containsExactly("30|3|aurora survey");
                assertThat(status(d)).contains("waiting     0 changes");
            }

            // revoking it moves them out: gone from the devices, kept on the hub, no delete pushed
            ShuttleJar.sql(hubUrl, "DELETE FROM project_member WHERE project_id = 2 AND user_id = 'alice'");
            for (Path d : List.of(a1, a2)) {
                ShuttleJar.Result out = sync(d);
                assertThat(out.out()).contains("pushed 0");
                assertThat(ShuttleJar.rows(d, "SELECT id FROM project ORDER BY id"))
                        .containsExactly("1");
                assertThat(tasks(d)).noneMatch(t -> t.contains("|2|"));
                assertThat(status(d)).containsPattern("ok: pulled \\d+, pushed 0");
            }
            assertThat(ShuttleJar.rows(hubUrl, "SELECT id, title FROM task WHERE project_id = 2 ORDER BY id"))
                    .containsExactly("20|launch plan", "21|press kit");
            assertThat(ShuttleJar.count(hubUrl, "SELECT count(*) FROM project WHERE id = 2"))
                    .isOne();
            for (Path d : List.of(a1, a2, b1, b2)) {
                sync(d);
            }

            // past its expiry and the leeway, the short-lived token is refused with a 401 that says so
            long wait = shortIssued + 1_000 + LEEWAY_MS + 2_000 - System.currentTimeMillis();
            if (wait > 0) {
                Thread.sleep(wait);
            }
            ShuttleJar.sql(a2, "INSERT INTO task (id, project_id, title) VALUES (14, 1, 'after expiry')");
            ShuttleJar.Result expired = ShuttleJar.run(dir, "sync", "--db", a2.toString(), "--token", shortLived);
            assertThat(expired.code()).isEqualTo(1);
            assertThat(expired.err().strip().lines()).hasSize(1);
            assertThat(expired.err()).contains("401").contains("expired at");
            assertThat(ShuttleJar.count(hubUrl, "SELECT count(*) FROM task WHERE id = 14"))
                    .isZero();
            sync(a2);
            assertThat(ShuttleJar.rows(hubUrl, "SELECT title FROM task WHERE id = 14"))
                    .containsExactly("after expiry");
        } finally {
            serve.destroy(); // SIGTERM: graceful stop
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private ShuttleJar.Result serveOnce(String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of("serve", "--db", hubUrl, "--port", "0", "--host", "127.0.0.1"));
        args.addAll(List.of(options));
        return ShuttleJar.run(dir, args.toArray(String[]::new));
    }

    private void clone(String hub, Path db, Subject s) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "clone", "--hub", hub, "--db", db.toString(), "--token", s.token());
        assertThat(r.code()).as(r.err()).isZero();
        devices.put(db, s);
        assertHoldsExactlyWhatItMayRead(db);
    }

    private ShuttleJar.Result sync(Path db) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(
                dir, "sync", "--db", db.toString(), "--token", devices.get(db).token());
        assertThat(r.code()).as(r.err()).isZero();
        assertHoldsExactlyWhatItMayRead(db);
        return r;
    }

    private String status(Path db) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "status", "--db", db.toString());
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }

    /**
     * The device's rows of every table equal the hub's rows its subject may read, worked out here in plain SQL
     * on the hub (the rules restated, not asked of the hub), and the device has no hidden column.
     */
    private void assertHoldsExactlyWhatItMayRead(Path db) throws Exception {
        Subject s = devices.get(db);
        String member = "SELECT project_id FROM project_member WHERE user_id = '" + s.sub() + "'";
        String projects = "SELECT id FROM project WHERE tenant = '" + s.tenant() + "' AND id IN (" + member + ")";
        Map<String, String[]> tables = new LinkedHashMap<>();
        tables.put("project", new String[] {"id, tenant, name", "id IN (" + projects + ")", "id"});
        tables.put("project_member", new String[] {
            "project_id, user_id, role",
            "user_id = '" + s.sub() + "' AND project_id IN (SELECT id FROM project WHERE tenant = '" + s.tenant()
                    + "')",
            "project_id, user_id"
        });
        tables.put("task", new String[] {"id, project_id, title", "project_id IN (" + projects + ")", "id"});
        tables.put("catalog", new String[] {"sku, CAST(price AS TEXT)", "TRUE", "sku"});
        for (var t : tables.entrySet()) {
            String[] q = t.getValue();
            String from = "SELECT " + q[0] + " FROM " + t.getKey();
            assertThat(ShuttleJar.rows(db, from + " ORDER BY " + q[2]))
                    .as("%s of %s's device %s", t.getKey(), s.sub(), db.getFileName())
                    .isEqualTo(ShuttleJar.rows(hubUrl, from + " WHERE " + q[1] + " ORDER BY " + q[2]));
        }
        assertThat(ShuttleJar.rows(db, "SELECT name FROM pragma_table_info('task') WHERE name = 'internal_cost'"))
                .isEmpty();
    }

    private static List<String> tasks(Path db) throws Exception {
        return ShuttleJar.rows(db, "SELECT id, project_id, title FROM task ORDER BY id");
    }

    private String issue(Path secret, String sub, String tenant, String ttl) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(
                dir,
                "token",
                "issue",
                "--secret-file",
                secret.toString(),
                "--sub",
                sub,
                "--claim",
                "tenant=" + tenant,
                "--ttl",
                ttl);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().strip();
    }

    /** The 1-based line of the first line of {@code text} that contains {@code fragment}. */
    private static int lineOf(String text, String fragment) {
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i + 1;
            }
        }
        throw new AssertionError(fragment + " is not in the rules");
    }
}
