package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shuttle schema check|apply} with the real jar on a SQLite hub whose tables change with plain SQL
 * while it is stopped: additive changes listed and taken, a renamed column refused (exit 1) until it is
 * put back; then a device that renamed a row offline syncs with the restarted hub and takes the new
 * column's values without blanking them on the hub.
 */
class SchemaProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void checkAndApplyThenADeviceTakesTheChanges() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        Path device = dir.resolve("device.db");
        String hub = hubDb.toString();
        ShuttleJar.sql(
                hubDb,
                "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                "INSERT INTO item VALUES (1, 'one'), (2, 'two')");
        assertThat(ShuttleJar.run(dir, "init", "--db", hub).code()).isZero();
        ShuttleJar.Result none = ShuttleJar.run(dir, "schema", "check", "--db", hub);
        assertThat(none.code()).as(none.err()).isZero();
        assertThat(none.out()).contains("No schema changes since capture");

        int port = freePort();
        Process serve = serve(hub, port);
        try {
            assertThat(ShuttleJar.run(
                                    dir,
                                    "clone",
                                    "--hub",
                                    "http://127.0.0.1:" + port,
                                    "--db",
                                    device.toString(),
                                    "--token",
                                    "tk")
                            .code())
                    .isZero();
        } finally {
            stop(serve);
        }

        // while the hub is stopped: its tables change, and the device renames a row offline
        ShuttleJar.sql(
                hubDb,
                "ALTER TABLE item ADD COLUMN qty INTEGER DEFAULT 7",
                "CREATE TABLE tag (id INTEGER PRIMARY KEY, label TEXT)",
                "INSERT INTO tag VALUES (1, 'red')");
        ShuttleJar.sql(device, "UPDATE item SET name = 'uno' WHERE id = 1");

        ShuttleJar.Result check = ShuttleJar.run(dir, "schema", "check", "--db", hub);
        assertThat(check.code()).as(check.err()).isZero();
        assertThat(check.out())
                .contains("  item\n    + new column \"item\".\"qty\" (INTEGER)")
                .contains("  tag\n    + new table \"tag\" (2 columns, LWW)")
                .contains("2 additive change(s) to take: shuttle schema apply --db " + hub);
        JsonNode checked = JSON.readTree(
                ShuttleJar.run(dir, "schema", "check", "--db", hub, "--json").out());
        assertThat(checked.path("additive").asInt()).isEqualTo(2);
        assertThat(checked.path("refused").asInt()).isZero();
        assertThat(checked.path("tables")
                        .get(0)
                        .path("changes")
                        .get(0)
                        .path("column")
                        .asText())
                .isEqualTo("qty");

        ShuttleJar.Result apply = ShuttleJar.run(dir, "schema", "apply", "--db", hub);
        assertThat(apply.code()).as(apply.err()).isZero();
        assertThat(apply.out()).contains("Took 2 change(s): synced schema version");
        assertThat(ShuttleJar.run(dir, "schema", "check", "--db", hub).out())
                .contains("No schema changes since capture");
        assertThat(ShuttleJar.run(dir, "schema", "apply", "--db", hub).out()).contains("Nothing to take");

        // a destructive change: refused, exit 1, the table keeps its captured shape until it is undone
        ShuttleJar.sql(hubDb, "ALTER TABLE item RENAME COLUMN name TO title");
        ShuttleJar.Result refused = ShuttleJar.run(dir, "schema", "check", "--db", hub);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out())
                .contains("! refused: column \"item\".\"name\" was renamed to \"title\": devices still send \"name\"")
                .contains("1 destructive change(s) refused");
        JsonNode refusedJson = JSON.readTree(
                ShuttleJar.run(dir, "schema", "apply", "--db", hub, "--json").out());
        assertThat(refusedJson.path("refused").asInt()).isEqualTo(1);
        assertThat(refusedJson.path("changed").asBoolean()).isFalse();
        assertThat(ShuttleJar.run(dir, "schema", "apply", "--db", hub).code()).isEqualTo(1);
        ShuttleJar.sql(hubDb, "ALTER TABLE item RENAME COLUMN title TO name");
        assertThat(ShuttleJar.run(dir, "schema", "check", "--db", hub).code()).isZero();

        // the device syncs with the hub again: it adds the column and the table, keeps its rename, and the
        // hub keeps its value of the column the device did not have
        serve = serve(hub, port);
        try {
            ShuttleJar.Result sync = ShuttleJar.run(dir, "sync", "--db", device.toString(), "--token", "tk");
            assertThat(sync.code()).as(sync.err()).isZero();
        } finally {
            stop(serve);
        }
        String items = "SELECT id, name, qty FROM item ORDER BY id";
        assertThat(ShuttleJar.rows(hubDb, items)).containsExactly("1|uno|7", "2|two|7");
        assertThat(ShuttleJar.rows(device, items)).containsExactly("1|uno|7", "2|two|7");
        assertThat(ShuttleJar.rows(device, "SELECT id, label FROM tag")).containsExactly("1|red");

        // the rename, accepted this time: the device clones the table again, keeping its unpushed write aside
        ShuttleJar.sql(hubDb, "ALTER TABLE item RENAME COLUMN name TO title");
        ShuttleJar.sql(device, "UPDATE item SET name = 'eins' WHERE id = 1");
        ShuttleJar.Result accepted =
                ShuttleJar.run(dir, "schema", "apply", "--db", hub, "--accept-destructive", "item");
        assertThat(accepted.code()).as(accepted.err()).isZero();
        assertThat(accepted.out())
                .contains("+ table \"item\" taken again at its new shape (generation 1, 2 rows): devices clone it"
                        + " again on their next sync");
        assertThat(ShuttleJar.run(dir, "schema", "check", "--db", hub).out())
                .contains("No schema changes since capture");
        serve = serve(hub, port);
        try {
            ShuttleJar.Result sync = ShuttleJar.run(dir, "sync", "--db", device.toString(), "--token", "tk");
            assertThat(sync.code()).as(sync.err()).isZero();
        } finally {
            stop(serve);
        }
        assertThat(ShuttleJar.rows(device, "SELECT id, title, qty FROM item ORDER BY id"))
                .containsExactly("1|uno|7", "2|two|7");
        ShuttleJar.Result conflicts = ShuttleJar.run(dir, "conflicts", "list", "--db", device.toString());
        assertThat(conflicts.out()).contains("SCHEMA_MISMATCH").contains("eins");
        // a retry writes what fits the new shape (the renamed column's old value has nowhere to go)
        ShuttleJar.Result retry = ShuttleJar.run(dir, "conflicts", "retry", "--db", device.toString(), "1");
        assertThat(retry.code()).as(retry.err()).isZero();
        assertThat(ShuttleJar.rows(device, "SELECT id, title, qty FROM item WHERE id = 1"))
                .containsExactly("1|uno|7");
    }

    private Process serve(String hub, int port) throws Exception {
        Process serve = ShuttleJar.start(
                dir, "serve", "--db", hub, "--port", String.valueOf(port), "--token", "tk", "--host", "127.0.0.1");
        ShuttleJar.listeningUrl(serve);
        return serve;
    }

    private static void stop(Process serve) throws Exception {
        serve.destroy(); // SIGTERM: graceful stop
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
