package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * shuttle sync --hub NEW --adopt: a device moves to another hub, keeping its unpushed writes, and
 * takes that hub's rows; without --adopt it is refused with word of the option.
 */
class HubAdoptCommandTest {
    private static final String TOKEN = "adopt-token";

    @TempDir
    Path dir;

    @Test
    void aDeviceMovesToAnotherHubKeepingItsUnpushedWrites() throws Exception {
        Path a = dir.resolve("a.db");
        Path b = dir.resolve("b.db");
        Path device = dir.resolve("device.db");
        for (Path hub : new Path[] {a, b}) {
            ShuttleJar.sql(hub, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
            assertThat(run("init", "--db", hub.toString())[0]).isEqualTo("0");
        }
        ShuttleJar.sql(b, "INSERT INTO note VALUES (100, 'only on b')");
        try (ShuttleDatabase da = ShuttleDatabase.sqlite(a);
                ShuttleDatabase db = ShuttleDatabase.sqlite(b);
                HubServer hubA = serve(da);
                HubServer hubB = serve(db)) {
            String[] cloned = run("clone", "--hub", hubA.url().toString(), "--db", device.toString(), "--token", TOKEN);
            assertThat(cloned[0]).as(cloned[2]).isEqualTo("0");
            ShuttleJar.sql(device, "INSERT INTO note VALUES (1, 'pushed to a')");
            assertThat(run("sync", "--db", device.toString(), "--token", TOKEN)[0])
                    .isEqualTo("0");
            ShuttleJar.sql(device, "INSERT INTO note VALUES (2, 'written after, not pushed')");

            String[] refused =
                    run("sync", "--db", device.toString(), "--hub", hubB.url().toString(), "--token", TOKEN);
            assertThat(refused[0]).isNotEqualTo("0");
            assertThat(refused[2]).contains("--adopt");

            String[] moved =
                    run("sync", "--db", device.toString(), "--hub", hubB.url().toString(), "--token", TOKEN, "--adopt");
            assertThat(moved[0]).as(moved[2]).isEqualTo("0");
            assertThat(moved[2]).contains("Moved this device").contains("1 unpushed change(s)");
            assertThat(ShuttleJar.count(b, "SELECT count(*) FROM note WHERE id = 2"))
                    .isEqualTo(1);
            assertThat(ShuttleJar.count(b, "SELECT count(*) FROM note WHERE id = 1"))
                    .as("what a took is not pushed again")
                    .isZero();
            assertThat(ShuttleJar.count(device, "SELECT count(*) FROM note WHERE id IN (2, 100)"))
                    .isEqualTo(2);
            assertThat(ShuttleJar.count(device, "SELECT count(*) FROM note WHERE id = 1"))
                    .as("the device holds b's rows now")
                    .isZero();
            String[] again = run("sync", "--db", device.toString(), "--token", TOKEN, "--json");
            assertThat(again[0]).as(again[2]).isEqualTo("0");
            assertThat(again[1]).contains("\"pulled\":0").contains("\"pushed\":0");
        }
    }

    private static HubServer serve(ShuttleDatabase db) {
        return HubServer.builder(SyncEngine.open(db))
                .host("127.0.0.1")
                .port(0)
                .token(TOKEN)
                .start();
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
