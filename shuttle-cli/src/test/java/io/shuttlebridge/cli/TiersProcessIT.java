package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tiers with the real jar: an HQ hub, two store hubs that are each a device of HQ (cloned from it,
 * relaying with a token holding the {@code relay} role) and a hub for their own devices, and three
 * devices. Every database is a SQLite file but HQ's, which is one too or a MariaDB database (a store hub is a
 * device of HQ: a SQLite file, as every device); every node is a separate process talking HTTP on loopback.
 * Table {@code item} is LWW, {@code price} VERSION_STRICT.
 */
@Execution(ExecutionMode.CONCURRENT) // HQ on SQLite and on MariaDB side by side: most of each is waiting for a process
class TiersProcessIT {
    private static final String ITEMS = "SELECT id, name FROM item ORDER BY id";
    private static final String PRICES = "SELECT id, cents FROM price ORDER BY id";
    private static final String OPEN_CONFLICTS = "SELECT tbl || key_json FROM _shuttle_conflicts WHERE status = 'open'";

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();
    /** HQ's {@code --db}: a SQLite file or a MariaDB database's JDBC URL. */
    private String hq;

    private Path store1;
    private Path store2;
    private Path d11;
    private Path d12;
    private Path d21;
    private String hqUrl;
    private String relay1;
    private String relay2;

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @ParameterizedTest(name = "HQ on {0}")
    @ValueSource(strings = {"sqlite", "mariadb"})
    void deviceStoreHubAndHqConverge(String hqOn) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        hq = hqOn.equals("mariadb")
                ? MariaDb.freshDatabase()
                : dir.resolve("hq.db").toString();
        hqSql(
                "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                "CREATE TABLE price (id INTEGER PRIMARY KEY, cents INTEGER NOT NULL)",
                "INSERT INTO item VALUES (1, 'apple'), (2, 'pear')",
                "INSERT INTO price VALUES (1, 100), (2, 200), (3, 300)");
        ok("init", "--db", hq, "--tables", "item");
        ok("init", "--db", hq, "--tables", "price", "--policy", "VERSION_STRICT");
        Path secret = dir.resolve("hq.secret");
        Files.writeString(secret, "a-secret-of-at-least-thirty-two-bytes-for-hs256");
        int hqPort = freePort();
        Process hqServe = serve(hq, hqPort, "--jwt-secret-file", secret.toString());
        hqUrl = ShuttleJar.listeningUrl(hqServe);
        relay1 = token(secret, "store-1");
        relay2 = token(secret, "store-2");

        store1 = dir.resolve("store1.db");
        store2 = dir.resolve("store2.db");
        ok("clone", "--hub", hqUrl, "--db", store1.toString(), "--token", relay1);
        ok("clone", "--hub", hqUrl, "--db", store2.toString(), "--token", relay2);
        int store1Port = freePort();
        Process store1Serve = serve(store1, store1Port, "--token", "s1");
        String store1Url = ShuttleJar.listeningUrl(store1Serve);
        String store2Url = ShuttleJar.listeningUrl(serve(store2, freePort(), "--token", "s2"));
        d11 = dir.resolve("d11.db");
        d12 = dir.resolve("d12.db");
        d21 = dir.resolve("d21.db");
        ok("clone", "--hub", store1Url, "--db", d11.toString(), "--token", "s1");
        ok("clone", "--hub", store1Url, "--db", d12.toString(), "--token", "s1");
        ok("clone", "--hub", store2Url, "--db", d21.toString(), "--token", "s2");

        // (a) a write on a device of store 1 reaches HQ, relayed with its own origin, and store 2's device
        ShuttleJar.sql(d11, "INSERT INTO item VALUES (10, 'from d11')");
        syncAll();
        assertSameEverywhere(ITEMS, "1|apple", "2|pear", "10|from d11");
        String d11Node = ShuttleJar.rows(d11, "SELECT uuid FROM _shuttle_nodes WHERE id = 0")
                .getFirst();
        assertThat(hqRows("SELECT n.uuid FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin"
                        + " WHERE f.pk = 10"))
                .containsExactly(d11Node);

        // (b) a write on HQ reaches every store device
        hqSql("INSERT INTO item VALUES (20, 'from hq')");
        syncAll();
        assertSameEverywhere(ITEMS, "1|apple", "2|pear", "10|from d11", "20|from hq");

        // (c) LWW: concurrent edits of a store-1 device and HQ; the later write wins everywhere, either way
        ShuttleJar.sql(d11, "UPDATE item SET name = 'd11 first' WHERE id = 1");
        hqSql("UPDATE item SET name = 'hq second' WHERE id = 2");
        Thread.sleep(5);
        hqSql("UPDATE item SET name = 'hq later' WHERE id = 1");
        ShuttleJar.sql(d11, "UPDATE item SET name = 'd11 later' WHERE id = 2");
        ok("sync", "--db", d11.toString(), "--token", "s1");
        syncAll();
        assertSameEverywhere(ITEMS, "1|hq later", "2|d11 later", "10|from d11", "20|from hq");

        // (c) VERSION_STRICT: HQ decides a conflict with HQ. The device's write meets HQ's row on the store
        // hub, which records the conflict and adopts HQ's row; price 2 is written twice on HQ, the
        // store pulling in between, so HQ's last write is made on a version the store holds: the
        // device's unrelayed write is a conflict all the same, never silently overwritten
        ShuttleJar.sql(d11, "UPDATE price SET cents = 111 WHERE id = 1", "UPDATE price SET cents = 211 WHERE id = 2");
        ok("sync", "--db", d11.toString(), "--token", "s1");
        hqSql("UPDATE price SET cents = 199 WHERE id = 1", "UPDATE price SET cents = 298 WHERE id = 2");
        ok("sync", "--db", store2.toString(), "--token", relay2);
        hqSql("UPDATE price SET cents = 299 WHERE id = 2");
        syncAll();
        assertSameEverywhere(PRICES, "1|199", "2|299", "3|300");
        assertThat(ShuttleJar.rows(store1, OPEN_CONFLICTS)).containsExactlyInAnyOrder("price[1]", "price[2]");
        assertThat(hqRows("SELECT tbl FROM _shuttle_conflicts WHERE status = 'open'"))
                .isEmpty();
        ShuttleJar.Result list = ShuttleJar.run(dir, "conflicts", "list", "--db", store1.toString());
        assertThat(list.out()).contains("price [2]", "211", "299");

        // a conflict between two devices of store 1 is decided by store 1: the first write it takes stands
        ShuttleJar.sql(d11, "UPDATE price SET cents = 311 WHERE id = 3");
        ShuttleJar.sql(d12, "UPDATE price SET cents = 312 WHERE id = 3");
        ok("sync", "--db", d11.toString(), "--token", "s1");
        ok("sync", "--db", d12.toString(), "--token", "s1");
        syncAll();
        assertSameEverywhere(PRICES, "1|199", "2|299", "3|311");
        assertThat(ShuttleJar.rows(d12, OPEN_CONFLICTS)).contains("price[3]");
        assertThat(hqRows("SELECT tbl FROM _shuttle_conflicts WHERE status = 'open'"))
                .isEmpty();

        // (d) store 1 follows HQ live; its hub restarts, then it loses HQ for a while: it catches up
        Process watch = ShuttleJar.start(dir, "sync", "--watch", "--db", store1.toString(), "--token", relay1);
        started.add(watch);
        store1Serve.destroy();
        assertThat(store1Serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ShuttleJar.sql(d11, "INSERT INTO item VALUES (30, 'while store 1 restarts')");
        assertThat(ShuttleJar.run(dir, "sync", "--db", d11.toString(), "--token", "s1")
                        .code())
                .isEqualTo(1);
        ShuttleJar.listeningUrl(serve(store1, store1Port, "--token", "s1"));
        ok("sync", "--db", d11.toString(), "--token", "s1");
        awaitRows(hq(), "SELECT name FROM item WHERE id = 30", "while store 1 restarts");

        hqServe.destroy();
        assertThat(hqServe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        ShuttleJar.sql(d12, "INSERT INTO item VALUES (40, 'while HQ is away')");
        ok("sync", "--db", d12.toString(), "--token", "s1");
        hqSql("INSERT INTO item VALUES (41, 'written on HQ while away')");
        Thread.sleep(2_000); // the watch fails and retries meanwhile
        ShuttleJar.listeningUrl(serve(hq, hqPort, "--jwt-secret-file", secret.toString()));
        awaitRows(hq(), "SELECT name FROM item WHERE id = 40", "while HQ is away");
        awaitRows(store1, "SELECT name FROM item WHERE id = 41", "written on HQ while away");
        watch.destroy();
        assertThat(watch.waitFor(30, TimeUnit.SECONDS)).isTrue();
        syncAll();
        assertSameEverywhere(
                ITEMS,
                "1|hq later",
                "2|d11 later",
                "10|from d11",
                "20|from hq",
                "30|while store 1 restarts",
                "40|while HQ is away",
                "41|written on HQ while away");
        assertSameEverywhere(PRICES, "1|199", "2|299", "3|311");
    }

    /** Devices push up, stores relay to HQ and back, devices pull down: twice, so every write goes round. */
    private void syncAll() throws Exception {
        for (int round = 0; round < 2; round++) {
            ok("sync", "--db", d11.toString(), "--token", "s1");
            ok("sync", "--db", d12.toString(), "--token", "s1");
            ok("sync", "--db", d21.toString(), "--token", "s2");
            ok("sync", "--db", store1.toString(), "--token", relay1);
            ok("sync", "--db", store2.toString(), "--token", relay2);
        }
        ok("sync", "--db", d11.toString(), "--token", "s1");
        ok("sync", "--db", d12.toString(), "--token", "s1");
        ok("sync", "--db", d21.toString(), "--token", "s2");
    }

    private void assertSameEverywhere(String query, String... expected) throws Exception {
        assertThat(hqRows(query)).as("HQ").containsExactly(expected);
        for (Path db : List.of(store1, store2, d11, d12, d21)) {
            assertThat(ShuttleJar.rows(db, query))
                    .as(db.getFileName().toString())
                    .containsExactly(expected);
        }
    }

    /** Runs statements on HQ's database, as its own client would. */
    private void hqSql(String... statements) throws Exception {
        if (hq.startsWith("jdbc:")) {
            ShuttleJar.sql(hq, statements);
        } else {
            ShuttleJar.sql(Path.of(hq), statements);
        }
    }

    private List<String> hqRows(String query) throws Exception {
        return hq().rows(query);
    }

    /** HQ's database, to read rows of. */
    private Rows hq() {
        return query -> hq.startsWith("jdbc:") ? ShuttleJar.rows(hq, query) : ShuttleJar.rows(Path.of(hq), query);
    }

    /** Rows of one database as {@code a|b}. */
    private interface Rows {
        List<String> rows(String query) throws Exception;
    }

    private static void awaitRows(Path db, String query, String... expected) throws Exception {
        awaitNamedRows(q -> ShuttleJar.rows(db, q), db.getFileName().toString(), query, expected);
    }

    private static void awaitRows(Rows db, String query, String... expected) throws Exception {
        awaitNamedRows(db, "HQ", query, expected);
    }

    private static void awaitNamedRows(Rows db, String name, String query, String... expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!db.rows(query).equals(List.of(expected)) && System.nanoTime() < until) {
            Thread.sleep(200);
        }
        assertThat(db.rows(query)).as(name + ": " + query).containsExactly(expected);
    }

    private Process serve(Path db, int port, String... auth) throws Exception {
        return serve(db.toString(), port, auth);
    }

    private Process serve(String db, int port, String... auth) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("serve", "--db", db, "--port", String.valueOf(port), "--host", "127.0.0.1"));
        args.addAll(List.of(auth));
        Process p = ShuttleJar.start(dir, args.toArray(String[]::new));
        started.add(p);
        return p;
    }

    private String token(Path secret, String sub) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(
                dir,
                "token",
                "issue",
                "--secret-file",
                secret.toString(),
                "--sub",
                sub,
                "--claim",
                "roles=[relay]",
                "--ttl",
                "1h");
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().strip();
    }

    private void ok(String... args) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, args);
        assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
