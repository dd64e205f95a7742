package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The target refuses a row in the middle of a chunk (a CHECK constraint Bridge knows nothing of): the chunk
 * is rolled back whole, with its identities, pending children and position, while the chunks before it stay;
 * once the source is fixed, the next run resumes at the refused chunk and writes every row exactly once.
 */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class RefusedChunkIT {
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {id: integer, parent: integer, qty: integer}
                mappings: [{target: id, source: id}, {target: parent_id, source: parent}, {target: qty, source: qty}]
                keys: [id]
                batch_size: 3
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    @Test
    void aRefusedRowRollsBackItsChunkAndTheRerunResumesThere() throws IOException {
        TestDb db = kind.create(dir, "target.db");
        db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES item(id),"
                + " qty INTEGER CHECK (qty >= 0))");
        db.countWrites("item");
        // chunk 1: items 1-3; chunk 2: item 4, item 6 (waits for its parent 9), item 5 (refused)
        csv("1,,1", "2,1,1", "3,1,1", "4,,1", "6,9,1", "5,,-1", "7,,1");
        try (BridgeService b = BridgeService.builder()
                .target(db.targetEnforcingForeignKeys())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .build()) {
            BatchReport failed = b.run("items");
            assertThat(failed.outcome()).isEqualTo(BatchOutcome.FAILED);
            assertThat(failed.counts().inserted()).as("the committed chunk").isEqualTo(3);
            assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(3);
            assertThat(db.writes("item")).isEqualTo(3);
            EntityStatus status = b.status("items");
            assertThat(status.stateRows())
                    .as("identities of the committed chunk only")
                    .isEqualTo(3);
            assertThat(status.pendingChildren())
                    .as("nothing of the refused chunk")
                    .isZero();
            assertThat(status.passRows()).isEqualTo(3);

            csv("1,,1", "2,1,1", "3,1,1", "4,,1", "6,9,1", "5,,2", "7,,1");
            BatchReport resumed = b.run("items");
            assertThat(resumed.outcome()).as(resumed.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(resumed.counts().fetched())
                    .as("from the refused chunk on")
                    .isEqualTo(4);
            assertThat(resumed.counts())
                    .extracting(BatchCounts::inserted, BatchCounts::pending)
                    .containsExactly(3L, 1L);
        }
        assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(6);
        assertThat(db.writes("item")).as("every row written exactly once").isEqualTo(6);
        assertThat(db.count("SELECT qty FROM item WHERE id = 5")).isEqualTo(2);
    }

    private void csv(String... rows) throws IOException {
        Files.writeString(dir.resolve("items.csv"), "id,parent,qty\n" + String.join("\n", rows) + "\n");
    }
}
