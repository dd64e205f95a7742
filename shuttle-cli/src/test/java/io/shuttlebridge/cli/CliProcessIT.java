package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar as a separate process: the demo converges, --help works on every command, bad arguments exit 2. */
class CliProcessIT {
    @TempDir
    Path dir;

    @Test
    void demoSucceedsAndShowsConvergence() throws Exception {
        ShuttleJar.Result demo = ShuttleJar.run(dir, "demo");
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("the devices talk to it over HTTP")
                .contains("$ shuttle conflicts resolve --db device-b.db")
                .contains("converged: hub, device A and device B hold the same rows");
    }

    @Test
    void theTenantsDemoShowsTwoUsersAndWhatTheHubRefuses() throws Exception {
        ShuttleJar.Result demo = ShuttleJar.run(dir, "demo", "--tenants");
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("refused: hub answered 403 FORBIDDEN")
                .contains("refused: hub answered 401 UNAUTHORIZED")
                .contains("alice  1 device, last writer of")
                .contains("converged: hub, alice's and bob's devices hold the same rows");
    }

    @Test
    void everyCommandHasHelpAndBadArgumentsExitTwoWithOneLine() throws Exception {
        for (String command : List.of(
                "demo",
                "init",
                "serve",
                "clone",
                "sync",
                "status",
                "conflicts",
                "bundle",
                "node",
                "token",
                "rules",
                "bridge",
                "simulate",
                "bench")) {
            ShuttleJar.Result help = ShuttleJar.run(dir, command, "--help");
            assertThat(help.code()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: shuttle " + command);
        }
        for (String[] bad : new String[][] {
            {"nonsense"},
            {"init"},
            {"status", "--db"},
            {"simulate", "--replicas", "many"},
            {"conflicts", "resolve", "--db", "x.db", "1"},
            {"bundle", "import"}
        }) {
            ShuttleJar.Result r = ShuttleJar.run(dir, bad);
            assertThat(r.code()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(String.join(" ", bad)).hasSize(1);
            assertThat(r.err()).startsWith("shuttle: ");
        }
    }

    @Test
    void benchmarksRunFromTheJar() throws Exception {
        // small sizes: this checks the commands and what the jar carries (SQLite, embedded PostgreSQL), not speed
        ShuttleJar.Result apply =
                ShuttleJar.run(dir, "bench", "apply", "--rows", "2000", "--page", "500", "--warmup", "0", "--json");
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("\"rows\"").contains("sync apply");
        ShuttleJar.Result upload =
                ShuttleJar.run(dir, "bench", "upload", "--rows", "1000", "--page", "500", "--warmup", "500", "--json");
        assertThat(upload.code()).as(upload.err()).isZero();
        assertThat(upload.out()).contains("push over HTTP");
        ShuttleJar.Result pull = ShuttleJar.run(
                dir,
                "bench",
                "pull",
                "--subjects",
                "20",
                "--rows-per-subject",
                "5",
                "--changes-per-subject",
                "2",
                "--json");
        assertThat(pull.code()).as(pull.err()).isZero();
        assertThat(pull.out()).contains("pull through rules").contains("rulesDeliveredVsUnfiltered");
        ShuttleJar.Result bootstrap =
                ShuttleJar.run(dir, "bench", "bootstrap", "--rows", "2000", "--rules", "--hub-warmup", "0", "--json");
        assertThat(bootstrap.code()).as(bootstrap.err()).isZero();
        assertThat(bootstrap.out()).contains("clone through rules").contains("rulesDeliveredVsUnfilteredSameRows");
    }

    @Test
    void hubBenchmarksRunOnAMariaDbHubFromTheJar() throws Exception {
        // the jar carries no MariaDB server: the benchmarks are given one (the tests' own) by URL
        Map<String, String> env = Map.of("SHUTTLE_BENCH_MARIADB_URL", io.shuttlebridge.core.MariaDb.freshDatabase());
        ShuttleJar.Result upload = ShuttleJar.run(
                dir, env, "bench", "upload", "--hub", "mariadb", "--rows", "1000", "--page", "500", "--warmup", "500");
        assertThat(upload.code()).as(upload.err()).isZero();
        assertThat(upload.out())
                .contains("MariaDB LOAD DATA (baseline)")
                .contains("push over HTTP")
                .contains("pushVsLoadData");
        ShuttleJar.Result bootstrap = ShuttleJar.run(
                dir, env, "bench", "bootstrap", "--hub", "mariadb", "--rows", "2000", "--rules", "--hub-warmup", "0");
        assertThat(bootstrap.code()).as(bootstrap.err()).isZero();
        assertThat(bootstrap.out())
                .contains("MariaDB LOAD DATA (baseline)")
                .contains("cloneVsLoadData")
                .contains("clone through rules");
        ShuttleJar.Result without = ShuttleJar.run(dir, "bench", "upload", "--hub", "mariadb", "--rows", "10");
        assertThat(without.code()).isNotZero();
        assertThat(without.err()).contains("SHUTTLE_BENCH_MARIADB_URL");
    }
}
