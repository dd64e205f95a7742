package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restores from the outside, with the real jar: {@code shuttle backup} of a device and of a
 * SQLite hub while they are in use, a device restored from an older backup, a device file copied to a
 * second machine, and a hub restored from an older backup, each with {@code shuttle serve} and {@code
 * shuttle sync} as separate processes over HTTP.
 */
class BackupRestoreProcessIT {
    private static final String NOTES = "SELECT id, body FROM note ORDER BY id";

    @TempDir
    Path dir;

    private Path hubDb;

    @BeforeEach
    void hub() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        hubDb = dir.resolve("hub.db");
        ShuttleJar.sql(hubDb, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
        assertThat(ShuttleJar.run(dir, "init", "--db", hubDb.toString()).code()).isZero();
    }

    @Test
    void aDeviceRestoredFromAnOlderBackupGetsBackWhatItPushedSince() throws Exception {
        Process serve = serve();
        try {
            String hub = ShuttleJar.listeningUrl(serve);
            Path a = clone(hub, "a.db");
            Path b = clone(hub, "b.db");
            ShuttleJar.sql(a, "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            sync(a, hub);
            Path bak = dir.resolve("a.bak");
            ShuttleJar.Result backup = ShuttleJar.run(dir, "backup", "--db", a.toString(), "--out", bak.toString());
            assertThat(backup.code()).as(backup.err()).isZero();
            assertThat(backup.out()).startsWith("Backed up " + a).contains("backup ");

            ShuttleJar.sql(
                    a,
                    "INSERT INTO note VALUES (3, 'pushed after the backup')",
                    "UPDATE note SET body = 'one, edited after the backup' WHERE id = 1");
            sync(a, hub);
            sync(b, hub);

            restore(bak, a);
            assertThat(ShuttleJar.rows(a, NOTES)).containsExactly("1|one", "2|two");
            ShuttleJar.sql(a, "INSERT INTO note VALUES (4, 'written after the restore')");
            ShuttleJar.Result back = sync(a, hub);
            assertThat(back.err()).contains("restored backup").contains("getting back from the hub");
            List<String> all = List.of(
                    "1|one, edited after the backup",
                    "2|two",
                    "3|pushed after the backup",
                    "4|written after the restore");
            assertThat(ShuttleJar.rows(a, NOTES)).isEqualTo(all).isEqualTo(ShuttleJar.rows(hubDb, NOTES));
            sync(b, hub);
            assertThat(ShuttleJar.rows(b, NOTES)).isEqualTo(all);
            ShuttleJar.Result status = ShuttleJar.run(dir, "status", "--db", a.toString(), "--json");
            assertThat(status.code()).as(status.err()).isZero();
            JsonNode doc = new ObjectMapper().readTree(status.out());
            assertThat(doc.path("openConflicts").asLong(-1)).isZero();
            assertThat(doc.path("peers").get(0).path("pendingLocalChanges").asLong(-1))
                    .isZero();
            assertThat(sync(a, hub).out()).contains("pulled 0").contains("pushed 0");
        } finally {
            stop(serve);
        }
    }

    @Test
    void aDeviceFileCopiedToASecondMachineIsRefusedUntilItTakesANewIdentity() throws Exception {
        Process serve = serve();
        try {
            String hub = ShuttleJar.listeningUrl(serve);
            Path a = clone(hub, "a.db");
            ShuttleJar.sql(a, "INSERT INTO note VALUES (1, 'one')");
            sync(a, hub);
            Path copy = dir.resolve("copy.db");
            Files.copy(a, copy); // no process has it open: the whole database is in the file

            ShuttleJar.sql(a, "INSERT INTO note VALUES (2, 'on a after the copy')");
            sync(a, hub);
            ShuttleJar.sql(copy, "INSERT INTO note VALUES (3, 'on the copy')");
            ShuttleJar.Result refused = ShuttleJar.run(dir, "sync", "--db", copy.toString(), "--token", "tk");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err().strip().lines()).hasSize(1);
            assertThat(refused.err())
                    .contains("409 NODE_COPIED")
                    .contains("another database syncs as the same node")
                    .contains("shuttle node reset --db " + copy);
            assertThat(ShuttleJar.count(hubDb, "SELECT count(*) FROM note WHERE id = 3"))
                    .isZero();
            assertThat(sync(a, hub).out()).as("the other database goes on").contains("pulled 0");

            JsonNode before = show(copy);
            ShuttleJar.Result reset =
                    ShuttleJar.run(dir, "node", "reset", "--db", copy.toString(), "--token", "tk", "--json");
            assertThat(reset.code()).as(reset.err()).isZero();
            JsonNode r = new ObjectMapper().readTree(reset.out());
            assertThat(r.path("oldNode").asText())
                    .isEqualTo(before.path("nodeUuid").asText());
            assertThat(r.path("unpushed").asLong()).isEqualTo(1);
            JsonNode after = show(copy);
            assertThat(after.path("nodeUuid").asText())
                    .isEqualTo(r.path("nodeUuid").asText())
                    .isNotEqualTo(show(a).path("nodeUuid").asText());
            assertThat(after.path("shortId").asInt())
                    .isNotEqualTo(show(a).path("shortId").asInt());

            sync(copy, hub);
            sync(a, hub);
            List<String> all = List.of("1|one", "2|on a after the copy", "3|on the copy");
            assertThat(ShuttleJar.rows(hubDb, NOTES)).isEqualTo(all);
            assertThat(ShuttleJar.rows(a, NOTES)).isEqualTo(all);
            assertThat(ShuttleJar.rows(copy, NOTES)).isEqualTo(all);
        } finally {
            stop(serve);
        }
    }

    @Test
    void aHubRestoredFromAnOlderBackupHoldsEverythingItHadAcknowledgedOnceEveryDeviceSynced() throws Exception {
        Process serve = serve();
        Path a;
        Path b;
        Path bak = dir.resolve("hub.bak");
        int bulk = 20_000;
        try {
            String hub = ShuttleJar.listeningUrl(serve);
            a = clone(hub, "a.db");
            b = clone(hub, "b.db");
            ShuttleJar.sql(b, "INSERT INTO note VALUES (0, 'b before the backup')");
            sync(b, hub);
            insert(a, 1, bulk, "a");
            // the backup runs while the hub serves and a's push of the bulk is on its way
            Process pushing = ShuttleJar.start(dir, "sync", "--db", a.toString(), "--token", "tk");
            ShuttleJar.Result backup =
                    ShuttleJar.run(dir, "backup", "--db", hubDb.toString(), "--out", bak.toString(), "--json");
            assertThat(backup.code()).as(backup.err()).isZero();
            assertThat(pushing.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(pushing.exitValue()).isZero();
            assertThat(ShuttleJar.rows(bak, "PRAGMA integrity_check")).containsExactly("ok");
            long inBackup = ShuttleJar.count(bak, "SELECT count(*) FROM note WHERE id BETWEEN 1 AND " + bulk);
            assertThat(inBackup)
                    .as("a push is one transaction: all of it or none")
                    .isIn(0L, (long) bulk);

            // acknowledged by the hub after the backup, then lost with it
            ShuttleJar.sql(a, "INSERT INTO note VALUES (100000, 'a after the backup')");
            sync(a, hub);
            ShuttleJar.sql(b, "UPDATE note SET body = 'b, edited after the backup' WHERE id = 0");
            sync(b, hub);
            sync(a, hub);
        } finally {
            stop(serve);
        }
        List<String> acknowledged = ShuttleJar.rows(hubDb, NOTES);
        assertThat(acknowledged)
                .hasSize(bulk + 2)
                .contains("0|b, edited after the backup", "100000|a after the backup");

        restore(bak, hubDb);
        Process again = serve();
        try {
            String hub = ShuttleJar.listeningUrl(again);
            ShuttleJar.Result first = sync(a, hub);
            assertThat(first.err()).contains("was restored from a backup older than this device's last sync");
            assertThat(first.out()).contains("resynced from a snapshot");
            sync(b, hub);
            assertThat(ShuttleJar.rows(hubDb, NOTES)).isEqualTo(acknowledged);
            sync(a, hub);
            assertThat(ShuttleJar.rows(a, NOTES)).isEqualTo(acknowledged);
            assertThat(ShuttleJar.rows(b, NOTES)).isEqualTo(acknowledged);
            assertThat(sync(b, hub).out()).contains("pulled 0").contains("pushed 0");
        } finally {
            stop(again);
        }
    }

    private Process serve() throws Exception {
        return ShuttleJar.start(
                dir, "serve", "--db", hubDb.toString(), "--port", "0", "--host", "127.0.0.1", "--token", "tk");
    }

    private static void stop(Process serve) throws InterruptedException {
        serve.destroy();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private Path clone(String hub, String name) throws Exception {
        Path db = dir.resolve(name);
        ShuttleJar.Result r = ShuttleJar.run(dir, "clone", "--hub", hub, "--db", db.toString(), "--token", "tk");
        assertThat(r.code()).as(r.err()).isZero();
        return db;
    }

    private ShuttleJar.Result sync(Path db, String hub) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "sync", "--db", db.toString(), "--hub", hub, "--token", "tk");
        assertThat(r.code()).as(db + ": " + r.err()).isZero();
        return r;
    }

    private JsonNode show(Path db) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "node", "show", "--db", db.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    /** A restore as the README says: the database's process stopped, its WAL gone, the backup in its place. */
    private static void restore(Path backup, Path db) throws Exception {
        Files.deleteIfExists(Path.of(db + "-wal"));
        Files.deleteIfExists(Path.of(db + "-shm"));
        Files.copy(backup, db, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void insert(Path db, int from, int count, String body) throws Exception {
        try (Connection c = DriverManager.getConnection(ShuttleJar.sqlite(db))) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO note VALUES (?, ?)")) {
                List<Integer> ids = new ArrayList<>();
                for (int i = from; i < from + count; i++) {
                    ids.add(i);
                }
                for (int id : ids) {
                    ps.setInt(1, id);
                    ps.setString(2, body + id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }
}
