package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.internal.RecloneStaging;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device clones a large table again (the hub took it again after a destructive change) with a small heap:
 * the hub's rows are staged in the device's file page by page and applied from there, so the heap the
 * re-clone needs does not grow with the table.
 */
class RecloneProcessIT {
    private static final int ROWS = 200_000;
    /** Enough for the command and a few pages of rows; far too little for the whole table's rows at once. */
    private static final String SMALL_HEAP = "-Xmx48m";

    @TempDir
    Path dir;

    @Test
    void aLargeTableIsClonedAgainWithASmallHeap() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Path hubDb = dir.resolve("hub.db");
        Path device = dir.resolve("device.db");
        String hub = hubDb.toString();
        ShuttleJar.sql(
                hubDb,
                "CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + ROWS + ")"
                        + " INSERT INTO item SELECT i, 'item ' || i FROM n");
        assertThat(ShuttleJar.run(dir, "init", "--db", hub).code()).isZero();
        int port = freePort();
        Process serve = serve(hub, port);
        try {
            ShuttleJar.Result clone = ShuttleJar.run(
                    dir, "clone", "--hub", "http://127.0.0.1:" + port, "--db", device.toString(), "--token", "tk");
            assertThat(clone.code()).as(clone.err()).isZero();
        } finally {
            stop(serve);
        }
        ShuttleJar.sql(device, "UPDATE item SET name = 'uno' WHERE id = 1"); // not pushed: kept as a rejected write

        ShuttleJar.sql(hubDb, "ALTER TABLE item RENAME COLUMN name TO title");
        ShuttleJar.Result accepted =
                ShuttleJar.run(dir, "schema", "apply", "--db", hub, "--accept-destructive", "item");
        assertThat(accepted.code()).as(accepted.err()).isZero();

        serve = serve(hub, port);
        try {
            long start = System.nanoTime();
            ShuttleJar.Result sync = ShuttleJar.run(
                    dir, Map.of("JAVA_TOOL_OPTIONS", SMALL_HEAP), "sync", "--db", device.toString(), "--token", "tk");
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println("re-clone of " + ROWS + " rows (sync with " + SMALL_HEAP + "): " + millis + " ms");
            assertThat(sync.code()).as(sync.err()).isZero();
            assertThat(sync.err()).doesNotContain("OutOfMemoryError").contains("cloned it again (" + ROWS + " rows)");
        } finally {
            stop(serve);
        }
        assertThat(ShuttleJar.count(device, "SELECT count(*) FROM item")).isEqualTo(ROWS);
        assertThat(ShuttleJar.rows(device, "SELECT id, title FROM item WHERE id IN (1, " + ROWS + ") ORDER BY id"))
                .containsExactly("1|item 1", ROWS + "|item " + ROWS);
        assertThat(ShuttleJar.count(
                        device, "SELECT count(*) FROM sqlite_master WHERE name = '" + RecloneStaging.TABLE + "'"))
                .as("the staging table is dropped")
                .isZero();
        ShuttleJar.Result conflicts = ShuttleJar.run(dir, "conflicts", "list", "--db", device.toString());
        assertThat(conflicts.out()).contains("SCHEMA_MISMATCH").contains("uno");
    }

    private Process serve(String hub, int port) throws Exception {
        Process serve = ShuttleJar.start(
                dir, "serve", "--db", hub, "--port", String.valueOf(port), "--token", "tk", "--host", "127.0.0.1");
        ShuttleJar.listeningUrl(serve);
        return serve;
    }

    private static void stop(Process serve) throws Exception {
        serve.destroy();
        assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
