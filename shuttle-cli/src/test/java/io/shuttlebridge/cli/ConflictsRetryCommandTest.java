package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shuttle conflicts retry: a write the hub refused (here a code its unique index already holds) is
 * written again on the device, to be pushed by the next sync, which stores it once the hub takes it;
 * a write queued again already, and an unknown id, are named as such.
 */
class ConflictsRetryCommandTest {
    @TempDir
    Path dir;

    @Test
    void aRejectedWriteIsQueuedAgainAndGoesThroughOnceTheHubTakesIt() throws Exception {
        Path hubFile = dir.resolve("hub.db");
        Path deviceFile = dir.resolve("device.db");
        ShuttleJar.sql(
                hubFile,
                "CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT NOT NULL)",
                "CREATE UNIQUE INDEX item_code_key ON item (code)",
                "INSERT INTO item VALUES (1, 'A1')");
        ShuttleJar.sql(deviceFile, "CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT NOT NULL)");
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(hubFile)) {
            Capture.enable(hubDb);
            InProcessTransport hub = new InProcessTransport(SyncEngine.open(hubDb));
            try (ShuttleDatabase device = ShuttleDatabase.sqlite(deviceFile)) {
                Capture.enable(device);
                SyncEngine engine = SyncEngine.open(device);
                engine.pullThenPush(hub);
                device.execute("INSERT INTO item VALUES (2, 'A1')");
                device.execute("INSERT INTO item VALUES (3, 'B1')");
                assertThat(engine.pullThenPush(hub).pushed()).isEqualTo(1);
            }

            String[] list = run("conflicts", "list", "--db", deviceFile.toString());
            assertThat(list[0]).as(list[2]).isEqualTo("0");
            assertThat(list[1])
                    .contains("rejected write 1  item [2]  UPSERT  open")
                    .contains("the hub said: CONSTRAINT")
                    .contains("UNIQUE constraint failed: item.code")
                    .contains("shuttle conflicts retry --db " + deviceFile + " ID");
            assertThat(ShuttleJar.rows(deviceFile, "SELECT id FROM item ORDER BY id"))
                    .containsExactly("1", "3");

            ShuttleJar.sql(hubFile, "DROP INDEX item_code_key");
            String[] retried = run("conflicts", "retry", "--db", deviceFile.toString(), "1");
            assertThat(retried[0]).as(retried[2]).isEqualTo("0");
            assertThat(retried[1]).contains("Rejected write 1 (item [2]) written again");
            assertThat(ShuttleJar.rows(deviceFile, "SELECT id, code FROM item ORDER BY id"))
                    .containsExactly("1|A1", "2|A1", "3|B1");
            assertThat(run("conflicts", "list", "--db", deviceFile.toString())[1])
                    .contains("No open conflicts.");

            try (ShuttleDatabase device = ShuttleDatabase.sqlite(deviceFile)) {
                assertThat(SyncEngine.open(device).pullThenPush(hub).pushed()).isEqualTo(1);
            }
            assertThat(ShuttleJar.rows(hubFile, "SELECT id, code FROM item ORDER BY id"))
                    .containsExactly("1|A1", "2|A1", "3|B1");

            String[] again = run("conflicts", "retry", "--db", deviceFile.toString(), "1");
            assertThat(again[0]).isEqualTo("2");
            assertThat(again[2]).contains("rejected write 1 was queued again already");
            String[] unknown = run("conflicts", "retry", "--db", deviceFile.toString(), "99");
            assertThat(unknown[0]).isEqualTo("1");
            assertThat(unknown[2]).contains("no rejected write with id 99");
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
