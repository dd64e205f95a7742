package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** shuttle node retire on a SQLite or MariaDB hub: a known device is retired, an unknown one is named as such. */
class NodeRetireCommandTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "mariadb"})
    void retiresAKnownDeviceAndSaysWhenItKnowsNone(String kind) throws Exception {
        boolean maria = kind.equals("mariadb");
        String hub = maria ? MariaDb.freshDatabase() : dir.resolve("hub.db").toString();
        sql(hub, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)");
        assertThat(run("init", "--db", hub)[0]).isEqualTo("0");
        String device = UUID.randomUUID().toString();
        sql(hub, "INSERT INTO _shuttle_peers (peer, acked) VALUES ('" + device + "', 1)");

        String[] retired = run("node", "retire", "--db", hub, device);
        assertThat(retired[0]).as(retired[2]).isEqualTo("0");
        assertThat(retired[1]).contains("Retired " + device).contains("no longer holds back the purge");
        assertThat(
                        maria
                                ? ShuttleJar.count(hub, "SELECT count(*) FROM _shuttle_peers")
                                : ShuttleJar.count(Path.of(hub), "SELECT count(*) FROM _shuttle_peers"))
                .isZero();

        String[] unknown = run("node", "retire", "--db", hub, UUID.randomUUID().toString());
        assertThat(unknown[0]).isEqualTo("1");
        assertThat(unknown[2]).contains("knows no device");
    }

    private static void sql(String hub, String statement) throws Exception {
        if (hub.startsWith("jdbc:")) {
            ShuttleJar.sql(hub, statement);
        } else {
            ShuttleJar.sql(Path.of(hub), statement);
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
