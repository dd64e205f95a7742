package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN §8 from the outside, with the real jar against a PostgreSQL hub: tokens issued by {@code
 * shuttle token issue}, two subjects with two devices each, and every refusal seen as a device
 * sees it (exit 1 and one line naming the rule).
 */
class IdentityProcessesIT {
    private static final String NOTES = "SELECT id, body FROM note ORDER BY id";
    private static final String ISSUER = "https://id.clinic.test";
    private static final String AUDIENCE = "clinic-hub";

    @TempDir
    Path dir;

    @Test
    void twoSubjectsWithTwoDevicesEachSyncAndCannotActAsEachOther() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        String url = Postgres.freshDatabase();
        ShuttleJar.sql(
                url,
                "CREATE TABLE note (id bigint PRIMARY KEY, body text NOT NULL)",
                "INSERT INTO note VALUES (1, 'on the hub')");
        assertThat(ShuttleJar.run(dir, "init", "--db", url).code()).isZero();
        Path secret = dir.resolve("hub.secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef-and-some-more\n");
        Path shortSecret = dir.resolve("short.secret");
        Files.writeString(shortSecret, "too short\n");

        ShuttleJar.Result weak =
                ShuttleJar.run(dir, "serve", "--db", url, "--port", "0", "--jwt-secret-file", shortSecret.toString());
        assertThat(weak.code()).isEqualTo(2);
        assertThat(weak.err()).contains("HS256 needs at least 32");

        String alice = issue(secret, "alice");
        String bob = issue(secret, "bob");
        Process serve = ShuttleJar.start(
                dir,
                "serve",
                "--db",
                url,
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--jwt-secret-file",
                secret.toString(),
                "--issuer",
                ISSUER,
                "--audience",
                AUDIENCE);
        try {
            String hub = ShuttleJar.listeningUrl(serve);
            Path a1 = dir.resolve("a1.db");
            Path a2 = dir.resolve("a2.db");
            Path b1 = dir.resolve("b1.db");
            Path b2 = dir.resolve("b2.db");
            ShuttleJar.Result noToken = ShuttleJar.run(dir, "clone", "--hub", hub, "--db", a1.toString());
            assertThat(noToken.code()).isEqualTo(1);
            assertThat(noToken.err()).contains("401").contains("a bearer token is required");
            assertThat(Files.exists(a1)).isFalse();

            for (Path d : List.of(a1, a2)) {
                clone(hub, d, alice);
            }
            for (Path d : List.of(b1, b2)) {
                clone(hub, d, bob);
            }
            ShuttleJar.sql(a1, "INSERT INTO note VALUES (2, 'alice on a1')");
            ShuttleJar.sql(b2, "UPDATE note SET body = 'bob on b2' WHERE id = 1");
            for (Path d : List.of(a1, b2, a2, b1, a1)) {
                ShuttleJar.Result s = ShuttleJar.run(
                        dir,
                        "sync",
                        "--db",
                        d.toString(),
                        "--token",
                        d.getFileName().toString().startsWith("a") ? alice : bob);
                assertThat(s.code()).as(s.err()).isZero();
            }
            assertThat(ShuttleJar.rows(url, NOTES))
                    .containsExactly("1|bob on b2", "2|alice on a1")
                    .isEqualTo(ShuttleJar.rows(a2, NOTES))
                    .isEqualTo(ShuttleJar.rows(b1, NOTES));

            // bob's token on alice's device: its node is alice's
            ShuttleJar.sql(a1, "INSERT INTO note VALUES (3, 'bob trying as a1')");
            ShuttleJar.Result asAlice = ShuttleJar.run(dir, "sync", "--db", a1.toString(), "--token", bob);
            assertThat(asAlice.code()).isEqualTo(1);
            assertThat(asAlice.err()).contains("403").contains("belongs to another subject");
            assertThat(ShuttleJar.count(url, "SELECT count(*) FROM note WHERE id = 3"))
                    .isZero();

            String wrongAudience = issue(secret, "alice", "--audience", "another-hub");
            ShuttleJar.Result refused = ShuttleJar.run(dir, "sync", "--db", a1.toString(), "--token", wrongAudience);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err().strip().lines()).hasSize(1);
            assertThat(refused.err()).contains("401").contains("wrong audience");

            ShuttleJar.Result forged = ShuttleJar.run(dir, "sync", "--db", a1.toString(), "--token", alice + "x");
            assertThat(forged.code()).isEqualTo(1);
            assertThat(forged.err()).contains("bad signature");

            ShuttleJar.Result status = ShuttleJar.run(dir, "status", "--db", url);
            assertThat(status.code()).as(status.err()).isZero();
            assertThat(status.out()).contains("alice").contains("bob").contains("rows last written");
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private void clone(String hub, Path db, String token) throws Exception {
        ShuttleJar.Result r = ShuttleJar.run(dir, "clone", "--hub", hub, "--db", db.toString(), "--token", token);
        assertThat(r.code()).as(r.err()).isZero();
    }

    private String issue(Path secret, String sub, String... more) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(
                "token",
                "issue",
                "--secret-file",
                secret.toString(),
                "--sub",
                sub,
                "--issuer",
                ISSUER,
                "--ttl",
                "10m"));
        if (more.length == 0) {
            args.addAll(List.of("--audience", AUDIENCE));
        } else {
            args.addAll(List.of(more));
        }
        ShuttleJar.Result r = ShuttleJar.run(dir, args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().strip();
    }
}
