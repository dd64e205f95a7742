package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real JVM running a batch is killed with SIGKILL in the middle of a chunk; the rerun resumes after
 * the last committed chunk: every source row ends up in the target exactly once.
 */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class KilledRunIT {
    static final int ROWS = 20_000;
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {id: integer, name: string}
                mappings: [{target: id, source: id}, {target: name, source: name}]
                keys: [id]
                batch_size: 5000
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    @Test
    void killedMidChunkThenRerunWithoutDuplicatesOrGaps() throws Exception {
        TestDb db = kind.create(dir, "target.db");
        if (db.kind == TestDb.Kind.SQLITE) {
            db.exec("PRAGMA journal_mode = WAL");
        }
        // no unique key on id: a row written twice would show as a duplicate
        db.exec("CREATE TABLE item (id INTEGER NOT NULL, name TEXT)");
        db.countWrites("item");
        StringBuilder csv = new StringBuilder("id,name\n");
        for (int i = 1; i <= ROWS; i++) {
            csv.append(i).append(",Item ").append(i).append('\n');
        }
        Files.writeString(dir.resolve("items.csv"), csv);
        Files.writeString(dir.resolve("bridge.yaml"), YAML);

        Path marker = dir.resolve("stalled");
        // the child stalls on row 12500: in the open transaction of the third chunk (rows 10001 to 15000),
        // whose first slice (rows 10001 to 12000) is already written to the database, uncommitted
        Process child = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        StallingBridgeRun.class.getName(),
                        db.target(),
                        dir.resolve("bridge.yaml").toString(),
                        "12500",
                        marker.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            waitFor(marker, child);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, nothing rolled back by the JVM
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long atKill = db.count("SELECT COUNT(*) FROM item");
        assertThat(atKill)
                .as("the two committed chunks, nothing of the killed one")
                .isEqualTo(10_000);
        assertThat(db.count("SELECT COUNT(*) FROM _shuttle_bridge_batch WHERE outcome = 'RUNNING'"))
                .isEqualTo(1);

        try (BridgeService bridge = BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .build()) {
            BatchReport resumed = bridge.run("items");
            assertThat(resumed.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(resumed.counts().inserted()).isEqualTo(ROWS - atKill);
            assertThat(bridge.batches("items", 10))
                    .extracting(BatchReport::outcome)
                    .containsExactly(BatchOutcome.SUCCEEDED, BatchOutcome.INTERRUPTED);
        }
        assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(ROWS);
        assertThat(db.count("SELECT COUNT(DISTINCT id) FROM item"))
                .as("no duplicate")
                .isEqualTo(ROWS);
        assertThat(db.count("SELECT MIN(id) FROM item")).isEqualTo(1);
        assertThat(db.count("SELECT MAX(id) FROM item")).as("no gap").isEqualTo(ROWS);
        assertThat(db.writes("item")).as("every row written exactly once").isEqualTo(ROWS);
    }

    private void waitFor(Path marker, Process child) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!Files.exists(marker)) {
            if (!child.isAlive()) {
                throw new AssertionError("the child JVM ended early (exit " + child.exitValue() + "):\n"
                        + Files.readString(dir.resolve("child.log")));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the child JVM did not reach the stalling row within 60 s:\n"
                        + Files.readString(dir.resolve("child.log")));
            }
            Thread.sleep(20);
        }
    }
}
