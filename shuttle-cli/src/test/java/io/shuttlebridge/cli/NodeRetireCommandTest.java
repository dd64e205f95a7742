package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shuttle node retire: a known device is retired, an unknown one is named as such. */
class NodeRetireCommandTest {
    @TempDir
    Path dir;

    @Test
    void retiresAKnownDeviceAndSaysWhenItKnowsNone() throws Exception {
        Path hub = dir.resolve("hub.db");
        ShuttleJar.sql(hub, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        assertThat(run("init", "--db", hub.toString())[0]).isEqualTo("0");
        String device = UUID.randomUUID().toString();
        ShuttleJar.sql(hub, "INSERT INTO _shuttle_peers (peer, acked) VALUES ('" + device + "', 1)");

        String[] retired = run("node", "retire", "--db", hub.toString(), device);
        assertThat(retired[0]).as(retired[2]).isEqualTo("0");
        assertThat(retired[1]).contains("Retired " + device).contains("no longer holds back the purge");
        assertThat(ShuttleJar.count(hub, "SELECT count(*) FROM _shuttle_peers")).isZero();

        String[] unknown =
                run("node", "retire", "--db", hub.toString(), UUID.randomUUID().toString());
        assertThat(unknown[0]).isEqualTo("1");
        assertThat(unknown[2]).contains("knows no device");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
