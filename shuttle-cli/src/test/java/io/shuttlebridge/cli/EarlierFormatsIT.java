package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.FormatFixtures;
import io.shuttlebridge.core.FormatFixtures.Build;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hub and its two devices as earlier builds left them ({@link FormatFixtures}: each device with
 * writes it had not pushed), served and synced by this build's jar over HTTP with no {@code shuttle
 * init}: their tables are upgraded as they are opened, the unpushed writes reach the hub, both devices
 * and a device cloned now converge, and later writes sync as usual.
 */
class EarlierFormatsIT {
    private static final String TOKEN = "fixture-token";
    private static final String ROWS = "SELECT 'project', id, name, NULL FROM project"
            + " UNION ALL SELECT 'task', id, title, done FROM task"
            + " UNION ALL SELECT 'tag', project_id, label, NULL FROM tag ORDER BY 1, 2, 3";

    @TempDir
    Path dir;

    record Hub(String db, String url) {}

    static Stream<Arguments> hubs() {
        List<Arguments> out = new ArrayList<>();
        for (Build b : Build.values()) {
            out.add(Arguments.of(b, "sqlite"));
            if (b.postgres) {
                out.add(Arguments.of(b, "postgresql"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} hub on {1}")
    @MethodSource("hubs")
    void anEarlierHubAndItsDevicesSyncToCompletionWithoutInit(Build build, String product) throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(ShuttleJar.JAR), "the shaded jar is built in the package phase");
        Hub hub = hub(build, product);
        String prefix = product.equals("sqlite") ? "device-" : "pg-device-";
        Path a = FormatFixtures.copy(build, prefix + "a.db", dir);
        Path b = FormatFixtures.copy(build, prefix + "b.db", dir);

        Process serve = ShuttleJar.start(
                dir, "serve", "--db", hub.db(), "--port", "0", "--host", "127.0.0.1", "--token", TOKEN);
        try {
            String url = ShuttleJar.listeningUrl(serve);
            assertThat(sync(a, url)).contains("\"pushed\":5");
            assertThat(sync(b, url)).contains("\"pushed\":2");
            sync(a, url);

            List<String> rows = ShuttleJar.rows(hub.url(), ROWS);
            assertThat(rows)
                    .as("every write, the unpushed ones included")
                    .contains(
                            "project|3|Written on the hub|null",
                            "project|10|Offline work|null",
                            "task|2|Book the big room|0",
                            "task|3|Buy seeds and soil|0",
                            "task|5|Print flyers|1",
                            "task|100|Written offline|0",
                            "task|200|Written offline on b|0",
                            "tag|10|new|null")
                    .doesNotContain("tag|1|urgent|null", "task|4|Dig beds|0");
            assertThat(ShuttleJar.rows(a, ROWS)).isEqualTo(rows);
            assertThat(ShuttleJar.rows(b, ROWS)).isEqualTo(rows);

            Path c = dir.resolve("device-c.db");
            ShuttleJar.Result clone =
                    ShuttleJar.run(dir, "clone", "--db", c.toString(), "--hub", url, "--token", TOKEN);
            assertThat(clone.code()).as(clone.err()).isZero();
            assertThat(ShuttleJar.rows(c, ROWS)).isEqualTo(rows);

            ShuttleJar.sql(a, "UPDATE task SET title = 'Written after the upgrade' WHERE id = 1");
            assertThat(sync(a, url)).contains("\"pushed\":1");
            sync(c, url);
            sync(b, url);
            List<String> after = ShuttleJar.rows(hub.url(), ROWS);
            assertThat(after).contains("task|1|Written after the upgrade|1");
            for (Path device : List.of(a, b, c)) {
                assertThat(ShuttleJar.rows(device, ROWS)).as(device.toString()).isEqualTo(after);
                assertThat(sync(device, url))
                        .as("nothing left to send, nothing echoed back")
                        .contains("\"pulled\":0")
                        .contains("\"pushed\":0");
            }
            for (String db : List.of(hub.url(), ShuttleJar.sqlite(a), ShuttleJar.sqlite(b))) {
                assertThat(ShuttleJar.rows(db, "SELECT value FROM _shuttle_meta WHERE key = 'format'"))
                        .as(db)
                        .containsExactly("6");
            }
        } finally {
            serve.destroy();
            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private Hub hub(Build build, String product) {
        if (product.equals("sqlite")) {
            Path f = FormatFixtures.copy(build, "sqlite-hub.db", dir);
            return new Hub(f.toString(), ShuttleJar.sqlite(f));
        }
        String url = FormatFixtures.restorePostgresHub(build);
        return new Hub(url, url);
    }

    private String sync(Path device, String url) throws Exception {
        ShuttleJar.Result r =
                ShuttleJar.run(dir, "sync", "--db", device.toString(), "--hub", url, "--token", TOKEN, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        return r.out();
    }
}
