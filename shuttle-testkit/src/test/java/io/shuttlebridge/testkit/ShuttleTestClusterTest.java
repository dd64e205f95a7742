package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.InProcessTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShuttleTestClusterTest {
    private static final String SCHEMA = """
            CREATE TABLE project (code TEXT PRIMARY KEY, title TEXT NOT NULL);
            CREATE TABLE task (
                project TEXT NOT NULL REFERENCES project(code),
                n INTEGER NOT NULL,
                done BOOLEAN NOT NULL DEFAULT 0,
                attachment BLOB,
                PRIMARY KEY (project, n));
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "over HTTP: {0}")
    @ValueSource(booleans = {false, true})
    void devicesWriteSyncAndConverge(boolean overHttp) {
        ShuttleTestCluster.Builder b =
                ShuttleTestCluster.builder().schema(SCHEMA).devices(3);
        if (overHttp) {
            b.overHttp();
        }
        try (ShuttleTestCluster cluster = b.start()) {
            assertThat(cluster.transport()).isInstanceOf(overHttp ? HttpTransport.class : InProcessTransport.class);
            assertThat(cluster.tables()).containsExactly("project", "task");
            cluster.device(0)
                    .execute(
                            "INSERT INTO project VALUES ('p1', 'Roof')",
                            "INSERT INTO task (project, n, attachment) VALUES ('p1', 1, X'00ff')");
            cluster.device(2).execute("INSERT INTO project VALUES ('p2', 'Porch')");

            assertThat(cluster.syncAll()).isBetween(1, 3);
            cluster.assertConverged();

            for (Replica r : cluster.replicas()) {
                assertThat(r.rows("project"))
                        .as(r.name())
                        .extracting(row -> row.get("code"))
                        .containsExactly("p1", "p2");
                assertThat(r.rows("task")).as(r.name()).hasSize(1);
            }
            assertThat(cluster.hub().name()).isEqualTo("hub");
            assertThat(cluster.devices()).extracting(Replica::name).containsExactly("device0", "device1", "device2");
        }
    }

    @Test
    void aDifferenceIsReportedByTableKeyAndColumn() {
        try (ShuttleTestCluster cluster =
                ShuttleTestCluster.builder().schema(SCHEMA).devices(2).start()) {
            cluster.device(0).execute("INSERT INTO project VALUES ('p1', 'Roof')");
            cluster.syncAll();
            cluster.device(1).execute("UPDATE project SET title = 'Attic' WHERE code = 'p1'");
            cluster.device(0).execute("INSERT INTO task (project, n) VALUES ('p1', 7)");

            Convergence.Result r = cluster.checkConvergence();

            assertThat(r.converged()).isFalse();
            assertThat(r.differences())
                    .containsExactlyInAnyOrder(
                            "task (project='p1', n=7): hub absent, device0 {project='p1', n=7, done=0, attachment=NULL}",
                            "device0: 1 change(s) not pushed to hub",
                            "project (code='p1') title: hub 'Roof', device1 'Attic'",
                            "device1: 1 change(s) not pushed to hub");
            assertThatThrownBy(cluster::assertConverged)
                    .isInstanceOf(AssertionError.class)
                    .hasMessageStartingWith("replicas have not converged: 4 difference(s) over 2 table(s)")
                    .hasMessageContaining("\n  project (code='p1') title: hub 'Roof', device1 'Attic'");

            cluster.syncAll();
            assertThat(cluster.checkConvergence().report())
                    .isEqualTo("converged: 2 table(s), 2 row(s) on every replica");
        }
    }

    @Test
    void theCheckerWorksOnDatabasesOfItsOwn() {
        try (ShuttleTestCluster cluster =
                ShuttleTestCluster.builder().schema(SCHEMA).devices(2).start()) {
            cluster.device(1).execute("INSERT INTO project VALUES ('p9', 'Shed')");
            Convergence.Result before = Convergence.check(
                    cluster.hub().database(),
                    cluster.device(0).database(),
                    cluster.device(1).database());
            assertThat(before.differences())
                    .contains("project (code='p9'): hub absent, device1 {code='p9', title='Shed'}");

            cluster.device(1).sync();
            cluster.device(0).sync();
            Convergence.assertConverged(
                    cluster.hub().database(),
                    cluster.device(0).database(),
                    cluster.device(1).database());
        }
    }

    @Test
    void blobsAndConflictsCompareByValue() {
        ConflictResolver keepHub = (table, local, remote, base) -> new ConflictResolver.KeepLocal();
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema(SCHEMA)
                .policy(ConflictPolicy.FIELD_LWW)
                .policy("task", ConflictPolicy.CUSTOM)
                .resolver("task", keepHub)
                .start()) {
            cluster.device(0)
                    .execute(
                            "INSERT INTO project VALUES ('p1', 'Roof')",
                            "INSERT INTO task (project, n, attachment) VALUES ('p1', 1, X'0102')");
            cluster.syncAll();
            cluster.device(0).execute("UPDATE task SET attachment = X'0a' WHERE n = 1");
            cluster.device(1).execute("UPDATE task SET attachment = X'0b' WHERE n = 1");
            cluster.syncAll();
            cluster.assertConverged();
            List<Map<String, Object>> tasks = cluster.hub().rows("task");
            assertThat(HexFormat.of().formatHex((byte[]) tasks.get(0).get("attachment")))
                    .isIn("0a", "0b");
        }
    }

    @Test
    void theTemporaryFolderGoesAndAKeptOneStays() {
        Path temp;
        try (ShuttleTestCluster cluster =
                ShuttleTestCluster.builder().schema(SCHEMA).start()) {
            temp = cluster.directory();
            assertThat(temp.resolve("device1.db")).exists();
        }
        assertThat(temp).doesNotExist();

        Path kept = dir.resolve("kept");
        try (ShuttleTestCluster cluster =
                ShuttleTestCluster.builder().schema(SCHEMA).directory(kept).start()) {
            cluster.device(0).execute("INSERT INTO project VALUES ('p1', 'Roof')");
        }
        assertThat(kept.resolve("hub.db")).exists();
        assertThat(kept.resolve("device0.db")).exists();
        assertThatThrownBy(() -> ShuttleTestCluster.builder()
                        .schema(SCHEMA)
                        .directory(kept)
                        .start())
                .hasMessageContaining("hub.db already exists");
    }

    @Test
    void settingsAreCheckedBeforeAnythingStarts() throws Exception {
        assertThatThrownBy(() -> ShuttleTestCluster.builder().start())
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("a schema is required");
        assertThatThrownBy(() -> ShuttleTestCluster.builder()
                        .schema(SCHEMA)
                        .policy(ConflictPolicy.CUSTOM)
                        .start())
                .hasMessage("table \"project\" has the CUSTOM policy but no resolver: give one with resolver(...)");
        assertThatThrownBy(() -> ShuttleTestCluster.builder()
                        .schema(SCHEMA)
                        .policy("tasks", ConflictPolicy.MANUAL)
                        .start())
                .hasMessage("table \"tasks\" is not in the schema (tables: project, task)");
        assertThatThrownBy(() -> ShuttleTestCluster.builder().devices(0))
                .hasMessage("devices must be between 1 and 64, got 0");
        assertThatThrownBy(() -> ShuttleTestCluster.builder().schema(SCHEMA).schema(SCHEMA))
                .hasMessageContaining("the schema was already set");
        Path file = dir.resolve("app.sql");
        Files.writeString(file, "CREATE TABLE log (at TEXT, line TEXT);");
        assertThatThrownBy(() -> ShuttleTestCluster.builder().schema(file))
                .hasMessageStartingWith("table \"log\" in app.sql has no primary key");
        try (ShuttleTestCluster cluster =
                ShuttleTestCluster.builder().schema(SCHEMA).start()) {
            assertThatThrownBy(() -> cluster.device(2))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("device 2 does not exist: the cluster has 2 device(s)");
        }
    }
}
