package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --read-db} takes a PostgreSQL hot standby of a PostgreSQL hub only: a MariaDB or MySQL replica is
 * refused by name, as is a standby beside a hub not on PostgreSQL, before anything is opened, and no password of
 * either URL is repeated.
 */
class ServeReadDbTest {
    @Test
    void aMariaDbOrMySqlReplicaIsRefusedWithWhatToDoInstead() {
        for (String replica : new String[] {
            "jdbc:mariadb://replica.internal:3306/hub?user=hub&password=s3cret",
            "jdbc:mysql://replica.internal:3306/hub?user=hub&password=s3cret"
        }) {
            String[] r = run(
                    "serve",
                    "--db",
                    "jdbc:mariadb://primary.internal:3306/hub?user=hub&password=s3cret",
                    "--read-db",
                    replica,
                    "--token",
                    "tk");
            assertThat(r[0]).as(r[2]).isEqualTo("2");
            assertThat(r[2])
                    .contains("--read-db serves pulls from a PostgreSQL hot standby")
                    .contains("a MariaDB or MySQL replica (jdbc:")
                    .contains("replica.internal")
                    .contains("is not supported")
                    .contains("leave --read-db out")
                    .doesNotContain("s3cret");
        }
    }

    @Test
    void aPostgresStandbyBesideAHubNotOnPostgresIsRefused() {
        String[] r = run(
                "serve",
                "--db",
                "jdbc:mariadb://primary.internal:3306/hub?user=hub&password=s3cret",
                "--read-db",
                "jdbc:postgresql://standby.internal/hub?password=s3cret",
                "--token",
                "tk");
        assertThat(r[0]).as(r[2]).isEqualTo("2");
        assertThat(r[2])
                .contains("--read-db is a hot standby of the hub's own PostgreSQL database")
                .contains("is not on PostgreSQL")
                .doesNotContain("s3cret");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
