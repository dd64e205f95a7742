package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * shuttle clone makes a SQLite device, and a store hub is one (a device of its HQ): a MariaDB or PostgreSQL URL as
 * its {@code --db} is refused by name before the hub is asked anything, its password never repeated.
 */
class CloneTargetTest {
    @Test
    void aServerDatabaseIsRefusedAsADevice() {
        for (String url : new String[] {
            "jdbc:mariadb://db.internal:3306/store?user=store&password=s3cret",
            "jdbc:postgresql://db.internal/store?password=s3cret"
        }) {
            String[] r = run("clone", "--hub", "http://127.0.0.1:1", "--db", url, "--token", "tk");
            assertThat(r[0]).as(r[2]).isEqualTo("2");
            assertThat(r[2])
                    .contains("a device is a SQLite file, and so is a store hub")
                    .contains("db.internal")
                    .doesNotContain("s3cret");
        }
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
